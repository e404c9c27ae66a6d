import { Alert, Button, Card, Code, Group, MultiSelect, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useClient, useQuery } from 'urql';
import {
  ACCOUNT_AS_OF,
  EVENT_HISTORY,
  EVENT_TYPES,
  VERIFY_HISTORY,
  type AccountAsOfData,
  type EventHistoryData,
  type RecordedEvent,
  type VerifyHistoryData,
} from '../api/documents';
import { useAccount } from '../app/AccountLayout';
import { ROLE_LABELS } from '../app/viewer';
import { Busy } from '../components/Busy';
import { DataTable } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageTitle } from '../components/PageTitle';
import { formatInstant, instantFromLocalInput } from '../lib/time';

/** Audit: the account's event history (type filter, paging), verification of its hash chains, and the account as of a chosen instant. */
export function AuditPage() {
  return (
    <Stack>
      <PageTitle title="Audit" description="Every event of the account, oldest first; tamper evidence; and the account as it stood at any instant." />
      <History />
      <Verify />
      <AsOf />
    </Stack>
  );
}

function History() {
  const { accountId } = useAccount();
  const [types, setTypes] = useState<string[]>([]);
  const [pageSize, setPageSize] = useState('50');
  // Cursors of the pages seen so far: going back re-reads from the previous cursor.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<RecordedEvent | null>(null);
  const after = cursors[cursors.length - 1];
  const [{ data, error, fetching }] = useQuery<EventHistoryData>({
    query: EVENT_HISTORY,
    variables: { accountId, after, first: Number(pageSize), types: types.length ? types : null },
  });
  const page = cursors.length;
  const events = data?.eventHistory.events ?? [];
  const next = data?.eventHistory.nextCursor ?? null;
  const restart = () => {
    setCursors([null]);
    setOpen(null);
  };
  return (
    <Card withBorder component="section" aria-labelledby="events-title">
      <Title order={3} size="h4" id="events-title" mb="xs">
        Event history
      </Title>
      <Group align="flex-end" wrap="wrap" mb="sm">
        <MultiSelect
          label="Event types"
          placeholder={types.length ? undefined : 'All types'}
          data={[...EVENT_TYPES]}
          value={types}
          onChange={(v) => {
            setTypes(v);
            restart();
          }}
          searchable
          clearable
          style={{ flex: 1, minWidth: 240 }}
        />
        <Select
          label="Per page"
          data={['25', '50', '100']}
          value={pageSize}
          onChange={(v) => {
            if (v) setPageSize(v);
            restart();
          }}
          allowDeselect={false}
          w={110}
        />
      </Group>
      <ErrorMessage error={error} title="Could not load the events" />
      {fetching && <Busy label={`Loading page ${page}…`} />}
      {data && (
        <DataTable
          testId="event-history"
          caption={`Events, page ${page}`}
          data={events}
          rowKey={(e) => e.position}
          csvName={['events', accountId, `page-${page}`]}
          pageSize={Number(pageSize)}
          empty="No events."
          columns={[
            { id: 'position', header: 'Position', value: (e) => e.position },
            { id: 'occurredAt', header: 'When (UTC)', value: (e) => e.occurredAt, cell: (e) => formatInstant(e.occurredAt) },
            { id: 'type', header: 'Type', value: (e) => e.type },
            { id: 'streamId', header: 'Stream', value: (e) => e.streamId },
            { id: 'revision', header: 'Revision', value: (e) => e.revision, numeric: true },
            { id: 'actor', header: 'Actor', value: (e) => String(e.metadata.actor ?? '') },
            {
              id: 'data',
              header: 'Data',
              value: (e) => JSON.stringify(e.data),
              cell: (e) => (
                <Button size="compact-xs" variant="outline" onClick={() => setOpen(e)} aria-label={`Show the data of event ${e.position}`}>
                  Show
                </Button>
              ),
              sortable: false,
            },
          ]}
        />
      )}
      {open && (
        <Stack gap={4} mt="sm">
          <Group justify="space-between">
            <Text fw={600}>
              {open.type} at position {open.position}
            </Text>
            <Button size="compact-xs" variant="subtle" onClick={() => setOpen(null)}>
              Hide
            </Button>
          </Group>
          <Code block>{JSON.stringify({ data: open.data, metadata: open.metadata }, null, 2)}</Code>
        </Stack>
      )}
      <Group justify="space-between" mt="sm">
        <Button variant="outline" disabled={cursors.length <= 1 || fetching} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </Button>
        <Text size="sm">Page {page}</Text>
        <Button variant="outline" disabled={!next || fetching} onClick={() => next && setCursors((c) => [...c, next])}>
          Next page
        </Button>
      </Group>
    </Card>
  );
}

function Verify() {
  const { accountId } = useAccount();
  const client = useClient();
  const [state, setState] = useState<{ running: boolean; result?: VerifyHistoryData['verifyHistory']; error?: unknown }>({ running: false });
  const run = async () => {
    setState({ running: true });
    const result = await client.query<VerifyHistoryData>(VERIFY_HISTORY, { accountId }, { requestPolicy: 'network-only' }).toPromise();
    setState({ running: false, result: result.data?.verifyHistory, error: result.error });
  };
  return (
    <Card withBorder component="section" aria-labelledby="verify-title">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="verify-title">
          History verification
        </Title>
        <Button onClick={() => void run()} loading={state.running}>
          Verify history
        </Button>
      </Group>
      <Text size="sm" mb="xs">
        Recomputes the hash chain of every stream of the account: any change to a stored event breaks it.
      </Text>
      {state.running && <Busy label="Verifying every event of the account…" />}
      <ErrorMessage error={state.error} title="Could not verify the history" />
      {state.result && (
        <Alert color={state.result.ok ? 'green' : 'red'} role="status" data-testid="verify-result">
          {state.result.ok
            ? `Intact: all ${state.result.eventsChecked.toLocaleString('en')} events verified.`
            : `Broken: the chain does not match at position ${state.result.firstBrokenPosition} (${state.result.eventsChecked.toLocaleString('en')} events checked).`}
        </Alert>
      )}
    </Card>
  );
}

function AsOf() {
  const { accountId } = useAccount();
  const client = useClient();
  // Default: the next minute, so that "now" includes everything up to this moment.
  const [at, setAt] = useState(() => new Date(Date.now() + 60_000).toISOString().slice(0, 16));
  const [state, setState] = useState<{ running: boolean; data?: AccountAsOfData['accountAsOf']; error?: unknown; problem?: string }>({ running: false });
  const run = async () => {
    const instant = instantFromLocalInput(at);
    if (!instant) {
      setState({ running: false, problem: 'Enter a date and time.' });
      return;
    }
    setState({ running: true });
    const result = await client.query<AccountAsOfData>(ACCOUNT_AS_OF, { accountId, at: instant }, { requestPolicy: 'network-only' }).toPromise();
    setState({ running: false, data: result.data?.accountAsOf, error: result.error });
  };
  const snapshot = state.data?.account;
  return (
    <Card withBorder component="section" aria-labelledby="asof-title">
      <Title order={3} size="h4" id="asof-title" mb="xs">
        The account as of an instant
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <TextInput type="datetime-local" label="Instant (UTC)" value={at} onChange={(e) => setAt(e.currentTarget.value)} error={state.problem} />
          <Button type="submit" loading={state.running}>
            Show the account then
          </Button>
        </Group>
      </form>
      {state.running && <Busy label="Rebuilding the account from its events…" />}
      <ErrorMessage error={state.error} title="Could not rebuild the account" />
      {state.data && !snapshot && (
        <Text mt="sm" role="status">
          The account did not exist yet at {formatInstant(state.data.at)} UTC.
        </Text>
      )}
      {snapshot && (
        <Stack mt="sm" gap="sm" data-testid="as-of">
          <Text>
            At {formatInstant(state.data?.at)} UTC: <strong>{snapshot.name}</strong> ({snapshot.entitlementCountry}), {snapshot.users.length} users,{' '}
            {snapshot.groups.length} groups, {snapshot.alertRules.length} alert rules.
          </Text>
          <DataTable
            caption="Entitlements then"
            data={snapshot.entitlements}
            rowKey={(e) => e.id}
            csvName={['entitlements-as-of', state.data?.at ?? '']}
            pageSize={10}
            empty="No entitlements."
            columns={[
              { id: 'productName', header: 'Product', value: (e) => e.productName },
              { id: 'seats', header: 'Seats', value: (e) => e.seats, numeric: true },
              { id: 'status', header: 'Status', value: (e) => e.status },
              { id: 'startsAt', header: 'Starts (UTC)', value: (e) => e.startsAt, cell: (e) => formatInstant(e.startsAt) },
              { id: 'endsAt', header: 'Ends (UTC)', value: (e) => e.endsAt, cell: (e) => formatInstant(e.endsAt) },
            ]}
          />
          <DataTable
            caption="Users then"
            data={snapshot.users}
            rowKey={(u) => u.id}
            csvName={['users-as-of', state.data?.at ?? '']}
            pageSize={10}
            empty="No users."
            columns={[
              { id: 'displayName', header: 'Name', value: (u) => u.displayName },
              { id: 'email', header: 'Email', value: (u) => u.email },
              { id: 'status', header: 'Status', value: (u) => u.status },
              { id: 'roles', header: 'Roles', value: (u) => u.roles.map((r) => ROLE_LABELS[r]).join('; ') },
            ]}
          />
        </Stack>
      )}
    </Card>
  );
}
