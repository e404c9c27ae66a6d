import { LabelledChoice } from '../../components/LabelledChoice';
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { WEBHOOK_DELIVERIES, type DeliveryStatus, type Webhook, type WebhookDeliveriesData, type WebhookDelivery } from '../../api/documents';
import { Busy } from '../../components/Busy';
import { StatusBadge } from '../../components/StatusBadge';
import { DataTable } from '../../components/DataTable';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatInstant } from '../../lib/time';

const PAGE = 50;
/** Deliveries change without an event to subscribe to (they are operational records): the newest page is read again this often. */
const REFRESH_MS = 5_000;

const STATUS: Record<DeliveryStatus, { label: string; color: string }> = {
  PENDING: { label: 'Pending', color: 'yellow' },
  DELIVERED: { label: 'Delivered', color: 'green' },
  FAILED: { label: 'Failed', color: 'red' },
};

/** One webhook's deliveries, newest first, 50 a page (webhookDeliveries with its cursor). */
export function Deliveries({ webhook }: { webhook: Webhook }) {
  const [status, setStatus] = useState<DeliveryStatus | 'ALL'>('ALL');
  // The cursors of the pages visited: [null] is the newest page.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [{ data, error, fetching }, refetch] = useQuery<WebhookDeliveriesData>({
    query: WEBHOOK_DELIVERIES,
    variables: { webhookId: webhook.id, status: status === 'ALL' ? null : status, first: PAGE, after },
  });
  const newest = cursors.length === 1;
  useEffect(() => {
    if (!newest) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [newest, refetch]);
  const page = data?.webhookDeliveries;

  return (
    <Stack mt="md" gap="xs" component="section" aria-labelledby="deliveries-title" data-testid="deliveries">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={4} size="h5" id="deliveries-title">
            Deliveries to {webhook.url}
          </Title>
          <Text size="sm" c="dimmed">
            Newest first{newest ? `; refreshed every ${REFRESH_MS / 1000} seconds` : ''}.
          </Text>
        </div>
        <Group align="flex-end" wrap="wrap">
          <LabelledChoice
            label="Show"
            value={status}
            onChange={(v) => {
              setStatus(v);
              setCursors([null]);
            }}
            data={[
              { value: 'ALL', label: 'All' },
              { value: 'PENDING', label: 'Pending' },
              { value: 'DELIVERED', label: 'Delivered' },
              { value: 'FAILED', label: 'Failed' },
            ]}
          />
          <Button variant="outline" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => refetch({ requestPolicy: 'network-only' })}>
            Refresh
          </Button>
        </Group>
      </Group>
      <ErrorMessage error={error} title="Could not load the deliveries" />
      {fetching && !data && <Busy label="Loading the deliveries…" />}
      {page && (
        <DataTable
          testId="webhook-deliveries"
          caption={`Deliveries to ${webhook.url}`}
          data={page.deliveries}
          rowKey={(d) => d.id}
          csvName={['webhook-deliveries', webhook.id]}
          pageSize={PAGE}
          empty="Nothing has been sent yet: events of the chosen types appended from now on are sent."
          columns={[
            { id: 'eventType', header: 'Event', value: (d) => d.eventType },
            { id: 'eventPosition', header: 'Position', value: (d) => d.eventPosition, numeric: true, sortable: false },
            {
              id: 'status',
              header: 'Status',
              value: (d) => d.status,
              cell: (d) => <StatusBadge color={STATUS[d.status].color}>{STATUS[d.status].label}</StatusBadge>,
            },
            { id: 'attempts', header: 'Attempts', value: (d) => d.attempts, numeric: true },
            {
              id: 'lastAttemptAt',
              header: 'Last attempt (UTC)',
              value: (d) => d.lastAttemptAt,
              cell: (d) => (d.lastAttemptAt ? formatInstant(d.lastAttemptAt) : ''),
            },
            { id: 'lastResponseStatus', header: 'Answer', value: (d) => d.lastResponseStatus, cell: answerOf },
            {
              id: 'nextAttemptAt',
              header: 'Next attempt (UTC)',
              value: (d) => d.nextAttemptAt,
              cell: (d) => (d.nextAttemptAt ? formatInstant(d.nextAttemptAt) : ''),
            },
            { id: 'lastError', header: 'Last error', value: (d) => d.lastError, visible: false },
            { id: 'id', header: 'Message id (webhook-id)', value: (d) => d.id, visible: false },
          ]}
        />
      )}
      {page && (cursors.length > 1 || page.nextCursor) && (
        <Group justify="center">
          <Button variant="outline" size="xs" disabled={newest} onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer
          </Button>
          <Button variant="outline" size="xs" disabled={!page.nextCursor} onClick={() => page.nextCursor && setCursors([...cursors, page.nextCursor])}>
            Older
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function answerOf(d: WebhookDelivery) {
  if (d.lastResponseStatus !== null) return `HTTP ${d.lastResponseStatus}`;
  if (d.lastError)
    return (
      <Text size="sm" title={d.lastError}>
        {d.lastError.length > 60 ? `${d.lastError.slice(0, 60)}…` : d.lastError}
      </Text>
    );
  return '';
}
