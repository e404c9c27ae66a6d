import { LabelledChoice } from '../components/LabelledChoice';
import { Badge, Button, Card, Group, Modal, MultiSelect, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import {
  ALERT_RAISED,
  ALERTS,
  REMOVE_ALERT_RULE,
  SET_ALERT_RULE,
  type AlertAction,
  type AlertRaisedData,
  type AlertRule,
  type AlertsData,
} from '../api/documents';
import { useDirectory } from '../api/use-directory';
import { useAccount } from '../app/AccountLayout';
import { Busy } from '../components/Busy';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageTitle } from '../components/PageTitle';
import { addDays, dayOf, endOfDay, formatInstant, startOfDay } from '../lib/time';
import { Webhooks } from './alerts/Webhooks';

const ACTION_HELP: Record<AlertAction, string> = {
  NOTIFY: 'Raise an alert; usage continues (and may become term license usage).',
  DENY: 'Raise an alert and deny new sessions while seats in use are at or above the threshold.',
};

/**
 * Alerts: license alert rules per product (NOTIFY or DENY at a number of seats in use) and
 * the alerts raised; webhooks (notifications extension) and their deliveries.
 */
export function AlertsPage() {
  const { canManage, productName } = useAccount();
  const directory = useDirectory();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<AlertRule | null>(null);
  const [{ fetching: removingBusy }, remove] = useMutation(REMOVE_ALERT_RULE);
  const [failure, setFailure] = useState<unknown>(null);
  const rules = directory.account?.alertRules ?? [];
  return (
    <Stack>
      <PageTitle
        title="Alerts"
        description="Rules that raise an alert (and may deny new sessions) when seats in use reach a threshold, the alerts raised, and webhooks that send events to your systems."
      />
      <Card withBorder component="section" aria-labelledby="rules-title">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4" id="rules-title">
            Rules
          </Title>
          {canManage && <Button onClick={() => setAdding(true)}>Add a rule</Button>}
        </Group>
        <ErrorMessage error={directory.error} title="Could not load the rules" />
        <ErrorMessage error={failure} title="The change did not go through" />
        {directory.fetching && !directory.account ? (
          <Busy label="Loading the rules…" />
        ) : (
          <DataTable
            testId="alert-rules"
            caption="Alert rules"
            data={rules}
            rowKey={(r) => r.id}
            csvName={['alert-rules']}
            initialSort={{ id: 'productName' }}
            empty="No rules: no alerts are raised."
            columns={[
              { id: 'productId', header: 'Product id', value: (r) => r.productId, visible: false },
              { id: 'productName', header: 'Product', value: (r) => productName(r.productId) },
              { id: 'thresholdSeats', header: 'At seats in use', value: (r) => r.thresholdSeats, numeric: true },
              {
                id: 'action',
                header: 'Action',
                value: (r) => r.action,
                cell: (r) => (
                  <Badge color={r.action === 'DENY' ? 'red' : 'blue'} variant="light">
                    {r.action === 'DENY' ? 'Deny' : 'Notify'}
                  </Badge>
                ),
              },
              { id: 'notifyUserIds', header: 'Also tell', value: (r) => r.notifyUserIds.map(directory.userName).join('; ') },
              ...(canManage
                ? [
                    {
                      id: 'remove',
                      header: 'Action',
                      value: () => '',
                      csv: false,
                      sortable: false,
                      cell: (r: AlertRule) => (
                        <Button
                          size="compact-xs"
                          color="red"
                          variant="outline"
                          onClick={() => setRemoving(r)}
                          aria-label={`Remove the rule for ${productName(r.productId)} at ${r.thresholdSeats}`}
                        >
                          Remove
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      <History />
      <Webhooks />
      {adding && (
        <AddRuleModal
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            directory.refetch();
          }}
        />
      )}
      <ConfirmDialog
        opened={removing !== null}
        title="Remove this rule?"
        confirmLabel="Remove rule"
        busy={removingBusy}
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          if (!removing) return;
          setFailure(null);
          void remove({ input: { ruleId: removing.id } }).then((result) => {
            if (result.error) setFailure(result.error);
            setRemoving(null);
            directory.refetch();
          });
        }}
      >
        {removing ? `No more alerts will be raised for ${productName(removing.productId)} at ${removing.thresholdSeats} seats in use.` : ''}
      </ConfirmDialog>
    </Stack>
  );
}

function History() {
  const { accountId, productName } = useAccount();
  const [fromDay, setFromDay] = useState(dayOf(addDays(new Date(), -89)));
  const [toDay, setToDay] = useState(dayOf(new Date()));
  const from = startOfDay(fromDay);
  const to = endOfDay(toDay);
  const valid = !!from && !!to && from < to;
  const [{ data, error, fetching }, refetch] = useQuery<AlertsData>({ query: ALERTS, variables: { accountId, from, to }, pause: !valid });
  const [{ data: raised }] = useSubscription<AlertRaisedData>({ query: ALERT_RAISED, variables: { accountId } });
  useEffect(() => {
    if (raised) refetch({ requestPolicy: 'network-only' });
  }, [raised, refetch]);
  return (
    <Card withBorder component="section" aria-labelledby="history-title">
      <Group justify="space-between" mb="xs" align="flex-end" wrap="wrap">
        <Title order={3} size="h4" id="history-title">
          Alerts raised
        </Title>
        <Group wrap="wrap" align="flex-end">
          <TextInput type="date" label="From" value={fromDay} onChange={(e) => setFromDay(e.currentTarget.value)} />
          <TextInput type="date" label="To" value={toDay} onChange={(e) => setToDay(e.currentTarget.value)} />
        </Group>
      </Group>
      {!valid && (
        <Text c="red.9" size="sm" role="alert">
          The first day must not be after the last day.
        </Text>
      )}
      <ErrorMessage error={error} title="Could not load the alerts" />
      {fetching && !data && <Busy label="Loading the alerts…" />}
      {data && (
        <DataTable
          testId="alert-history"
          caption="Alerts raised"
          data={data.alerts}
          rowKey={(a) => a.id}
          csvName={['alerts', fromDay, toDay]}
          initialSort={{ id: 'raisedAt', desc: true }}
          empty="No alerts were raised in these days."
          columns={[
            { id: 'raisedAt', header: 'Raised (UTC)', value: (a) => a.raisedAt, cell: (a) => formatInstant(a.raisedAt) },
            { id: 'productId', header: 'Product id', value: (a) => a.productId, visible: false },
            { id: 'productName', header: 'Product', value: (a) => productName(a.productId) },
            { id: 'seatsInUse', header: 'Seats in use', value: (a) => a.seatsInUse, numeric: true },
            { id: 'thresholdSeats', header: 'Threshold', value: (a) => a.thresholdSeats, numeric: true },
            { id: 'seats', header: 'Seats owned', value: (a) => a.seats, numeric: true },
            { id: 'ruleId', header: 'Rule id', value: (a) => a.ruleId, visible: false },
          ]}
        />
      )}
    </Card>
  );
}

function AddRuleModal({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const { accountId, products } = useAccount();
  const directory = useDirectory();
  const [productId, setProductId] = useState<string | null>(products[0]?.productId ?? null);
  const [threshold, setThreshold] = useState<number | string>(products[0]?.seats ?? 1);
  const [action, setAction] = useState<AlertAction>('NOTIFY');
  const [notify, setNotify] = useState<string[]>([]);
  const [{ fetching }, setRule] = useMutation(SET_ALERT_RULE);
  const [failure, setFailure] = useState<unknown>(null);
  const users = (directory.account?.users ?? []).filter((u) => u.status === 'ACTIVE');
  return (
    <Modal opened onClose={onClose} title="Add an alert rule" centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFailure(null);
          void setRule({ input: { accountId, productId, thresholdSeats: Number(threshold), action, notifyUserIds: notify } }).then((result) =>
            result.error ? setFailure(result.error) : onAdded(),
          );
        }}
      >
        <Stack>
          <Select
            label="Product"
            data={products.map((p) => ({ value: p.productId, label: `${p.productName} (${p.seats} seats)` }))}
            value={productId}
            onChange={setProductId}
            allowDeselect={false}
          />
          <NumberInput label="When seats in use reach" min={1} step={1} allowDecimal={false} value={threshold} onChange={setThreshold} required />
          <div>
            <LabelledChoice
              label="Action"
              value={action}
              onChange={setAction}
              data={[
                { value: 'NOTIFY', label: 'Notify' },
                { value: 'DENY', label: 'Deny new sessions' },
              ]}
            />
            <Text size="sm" c="dimmed" mt={4}>
              {ACTION_HELP[action]}
            </Text>
          </div>
          <MultiSelect
            label="Also tell (besides the administrators)"
            data={users.map((u) => ({ value: u.id, label: `${u.displayName} <${u.email}>` }))}
            value={notify}
            onChange={setNotify}
            searchable
          />
          <ErrorMessage error={failure} title="Could not add the rule" />
          <Group justify="flex-end">
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={fetching}>
              Add rule
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
