import { Button, Card, Group, Modal, MultiSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { EVENT_TYPES, REMOVE_WEBHOOK, SET_WEBHOOK, WEBHOOKS, type Webhook, type WebhooksData, type WebhookStatus } from '../../api/documents';
import { useAccount } from '../../app/AccountLayout';
import { Busy } from '../../components/Busy';
import { StatusBadge } from '../../components/StatusBadge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatInstant } from '../../lib/time';
import { Deliveries } from './Deliveries';

const STATUS: Record<WebhookStatus, { label: string; color: string }> = {
  ACTIVE: { label: 'Active', color: 'green' },
  DISABLED: { label: 'Disabled (410 Gone)', color: 'orange' },
  REMOVED: { label: 'Removed', color: 'gray' },
};

/** What alert engines usually want; any type of the catalogue can be chosen. */
const SUGGESTED = ['AlertRaised', 'UsageDenied', 'RegistrationRequested'];

/**
 * Webhooks of the notifications extension: every event of the chosen types is POSTed,
 * signed, to the URL. Readers see them and their deliveries; administrators and
 * co-administrators add and remove them.
 */
export function Webhooks() {
  const { accountId, canManage } = useAccount();
  const [{ data, error, fetching }, refetch] = useQuery<WebhooksData>({ query: WEBHOOKS, variables: { accountId } });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [{ fetching: removingBusy }, remove] = useMutation(REMOVE_WEBHOOK);
  const [failure, setFailure] = useState<unknown>(null);
  const webhooks = data?.webhooks ?? [];
  const shown = webhooks.find((w) => w.id === selected);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <Card withBorder component="section" aria-labelledby="webhooks-title">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="webhooks-title">
          Webhooks
        </Title>
        {canManage && <Button onClick={() => setAdding(true)}>Add a webhook</Button>}
      </Group>
      <Text size="sm" mb="xs">
        Events of the chosen types are sent to each address as they happen, signed (Standard Webhooks, Ed25519), and retried when the address does not answer.
      </Text>
      <ErrorMessage error={error} title="Could not load the webhooks" />
      <ErrorMessage error={failure} title="The change did not go through" />
      {fetching && !data && <Busy label="Loading the webhooks…" />}
      {data && (
        <DataTable
          testId="webhooks"
          caption="Webhooks"
          data={webhooks}
          rowKey={(w) => w.id}
          csvName={['webhooks']}
          initialSort={{ id: 'createdAt', desc: true }}
          empty="No webhooks: no events are sent anywhere."
          columns={[
            {
              id: 'url',
              header: 'Address',
              value: (w) => w.url,
              cell: (w) => (
                <Text size="sm" style={{ wordBreak: 'break-all' }}>
                  {w.url}
                </Text>
              ),
            },
            { id: 'eventTypes', header: 'Events', value: (w) => w.eventTypes.join('; ') },
            { id: 'description', header: 'Description', value: (w) => w.description },
            {
              id: 'status',
              header: 'Status',
              value: (w) => w.status,
              cell: (w) => <StatusBadge color={STATUS[w.status].color}>{STATUS[w.status].label}</StatusBadge>,
            },
            { id: 'createdAt', header: 'Added (UTC)', value: (w) => w.createdAt, cell: (w) => formatInstant(w.createdAt) },
            { id: 'id', header: 'Webhook id', value: (w) => w.id, visible: false },
            {
              id: 'actions',
              header: 'Actions',
              value: () => '',
              csv: false,
              sortable: false,
              cell: (w) => (
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-xs"
                    variant={selected === w.id ? 'filled' : 'outline'}
                    onClick={() => setSelected(selected === w.id ? null : w.id)}
                    aria-label={`Deliveries to ${w.url}`}
                    aria-pressed={selected === w.id}
                  >
                    Deliveries
                  </Button>
                  {canManage && w.status !== 'REMOVED' && (
                    <Button size="compact-xs" variant="outline" color="red" onClick={() => setRemoving(w)} aria-label={`Remove the webhook to ${w.url}`}>
                      Remove
                    </Button>
                  )}
                </Group>
              ),
            },
          ]}
        />
      )}
      {shown && <Deliveries webhook={shown} key={shown.id} />}
      {adding && (
        <AddWebhookModal
          onClose={() => setAdding(false)}
          onAdded={(webhookId) => {
            setAdding(false);
            setSelected(webhookId);
            reload();
          }}
        />
      )}
      <ConfirmDialog
        opened={removing !== null}
        title="Remove this webhook?"
        confirmLabel="Remove webhook"
        busy={removingBusy}
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          if (!removing) return;
          setFailure(null);
          void remove({ input: { webhookId: removing.id } }).then((result) => {
            if (result.error) setFailure(result.error);
            setRemoving(null);
            reload();
          });
        }}
      >
        {removing ? `No more events will be sent to ${removing.url}. Deliveries already made stay listed.` : ''}
      </ConfirmDialog>
    </Card>
  );
}

function AddWebhookModal({ onClose, onAdded }: { onClose: () => void; onAdded: (webhookId: string) => void }) {
  const { accountId } = useAccount();
  const [url, setUrl] = useState('https://');
  const [eventTypes, setEventTypes] = useState<string[]>(['AlertRaised']);
  const [description, setDescription] = useState('');
  const [{ fetching }, setWebhook] = useMutation<{ setWebhook: { webhookId: string } }>(SET_WEBHOOK);
  const [failure, setFailure] = useState<unknown>(null);
  const choices = [...SUGGESTED, ...EVENT_TYPES.filter((t) => !SUGGESTED.includes(t))];
  return (
    <Modal opened onClose={onClose} title="Add a webhook" centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFailure(null);
          void setWebhook({ input: { accountId, url: url.trim(), eventTypes, description: description.trim() || undefined } }).then((result) =>
            result.error || !result.data ? setFailure(result.error) : onAdded(result.data.setWebhook.webhookId),
          );
        }}
      >
        <Stack>
          <TextInput
            label="Address (URL)"
            description="https; where your alert engine receives the events."
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            data-autofocus
          />
          <MultiSelect
            label="Events to send"
            data={choices}
            value={eventTypes}
            onChange={setEventTypes}
            searchable
            withAsterisk
            error={eventTypes.length === 0 ? 'Choose at least one.' : undefined}
          />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <ErrorMessage error={failure} title="Could not add the webhook" />
          <Group justify="flex-end">
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={fetching} disabled={eventTypes.length === 0}>
              Add webhook
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
