import { LabelledChoice } from '../../components/LabelledChoice';
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  APPROVE_REGISTRATION,
  REGISTRATION_REQUESTS,
  REJECT_REGISTRATION,
  type RegistrationRequest,
  type RegistrationRequestsData,
  type RegistrationStatus,
} from '../../api/documents';
import { useAccount } from '../../app/AccountLayout';
import { Busy } from '../../components/Busy';
import { StatusBadge } from '../../components/StatusBadge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatInstant } from '../../lib/time';

const STATUS: Record<RegistrationStatus, { label: string; color: string }> = {
  PENDING: { label: 'Pending', color: 'yellow' },
  APPROVED: { label: 'Approved', color: 'green' },
  REJECTED: { label: 'Rejected', color: 'gray' },
};

type Decision = { request: RegistrationRequest; approve: boolean };

/**
 * People who asked to join the account (onboarding's requestRegistration): readers see
 * them; administrators and co-administrators approve (the person is registered, with no
 * roles) or reject (with a reason told to the person), after confirming.
 */
export function RequestsTab({ onDecided }: { onDecided: () => void }) {
  const { accountId, canManage } = useAccount();
  const [status, setStatus] = useState<RegistrationStatus | 'ALL'>('PENDING');
  const [{ data, error, fetching }, refetch] = useQuery<RegistrationRequestsData>({
    query: REGISTRATION_REQUESTS,
    variables: { accountId, status: status === 'ALL' ? null : status },
  });
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const [{ fetching: approving }, approve] = useMutation(APPROVE_REGISTRATION);
  const [{ fetching: rejecting }, reject] = useMutation(REJECT_REGISTRATION);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const decide = () => {
    if (!deciding) return;
    const { request, approve: approving } = deciding;
    setFailure(null);
    setDone(null);
    const run = approving ? approve({ input: { requestId: request.id } }) : reject({ input: { requestId: request.id, reason: reason.trim() || undefined } });
    void run.then((result) => {
      if (result.error) setFailure(result.error);
      else setDone(approving ? `Approved ${request.email}: they are now a registered user.` : `Rejected the request of ${request.email}.`);
      setDeciding(null);
      setReason('');
      refetch({ requestPolicy: 'network-only' });
      if (approving) onDecided();
    });
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Text size="sm" maw={640}>
          People whose email is in one of the account’s domains can ask to join it. {canManage ? 'Approve to register them (with no roles), or reject.' : ''}
        </Text>
        <LabelledChoice
          label="Show"
          value={status}
          onChange={setStatus}
          data={[
            { value: 'PENDING', label: 'Pending' },
            { value: 'APPROVED', label: 'Approved' },
            { value: 'REJECTED', label: 'Rejected' },
            { value: 'ALL', label: 'All' },
          ]}
        />
      </Group>
      {done && (
        <Text role="status" c="green.9" data-testid="requests-done">
          {done}
        </Text>
      )}
      <ErrorMessage error={failure} title="The decision did not go through" />
      <ErrorMessage error={error} title="Could not load the requests" />
      {fetching && !data && <Busy label="Loading the requests…" />}
      {data && (
        <DataTable
          testId="registration-requests"
          caption="Registration requests"
          data={data.registrationRequests}
          rowKey={(r) => r.id}
          csvName={['registration-requests', status]}
          initialSort={{ id: 'requestedAt', desc: true }}
          empty={status === 'PENDING' ? 'No requests are waiting.' : 'No requests.'}
          columns={[
            { id: 'email', header: 'Email', value: (r) => r.email },
            { id: 'displayName', header: 'Name', value: (r) => r.displayName },
            { id: 'country', header: 'Country', value: (r) => r.country },
            { id: 'requestedAt', header: 'Asked (UTC)', value: (r) => r.requestedAt, cell: (r) => formatInstant(r.requestedAt) },
            {
              id: 'status',
              header: 'Status',
              value: (r) => r.status,
              cell: (r) => <StatusBadge color={STATUS[r.status].color}>{STATUS[r.status].label}</StatusBadge>,
            },
            { id: 'decidedBy', header: 'Decided by', value: (r) => (r.status !== 'PENDING' && !r.decidedBy ? 'automatically' : r.decidedBy) },
            { id: 'decidedAt', header: 'Decided (UTC)', value: (r) => r.decidedAt, visible: false },
            { id: 'reason', header: 'Reason', value: (r) => r.reason },
            { id: 'id', header: 'Request id', value: (r) => r.id, visible: false },
            { id: 'userId', header: 'User id', value: (r) => r.userId, visible: false },
            ...(canManage
              ? [
                  {
                    id: 'actions',
                    header: 'Actions',
                    value: () => '',
                    csv: false,
                    sortable: false,
                    cell: (r: RegistrationRequest) =>
                      r.status === 'PENDING' ? (
                        <Group gap={4} wrap="nowrap">
                          <Button
                            size="compact-xs"
                            variant="outline"
                            color="green.9"
                            onClick={() => setDeciding({ request: r, approve: true })}
                            aria-label={`Approve ${r.email}`}
                          >
                            Approve
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="outline"
                            color="red"
                            onClick={() => setDeciding({ request: r, approve: false })}
                            aria-label={`Reject ${r.email}`}
                          >
                            Reject
                          </Button>
                        </Group>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      )}
      <ConfirmDialog
        opened={deciding !== null}
        title={deciding?.approve ? 'Approve this request?' : 'Reject this request?'}
        confirmLabel={deciding?.approve ? 'Approve' : 'Reject'}
        color={deciding?.approve ? 'green.9' : 'red'}
        busy={approving || rejecting}
        onClose={() => {
          setDeciding(null);
          setReason('');
        }}
        onConfirm={decide}
      >
        {deciding && (
          <Stack>
            <Text>
              {deciding.approve
                ? `${deciding.request.displayName} (${deciding.request.email}) will become a registered user of the account, with no roles.`
                : `${deciding.request.displayName} (${deciding.request.email}) will not join the account; they may ask again.`}
            </Text>
            {!deciding.approve && (
              <TextInput label="Reason (told to the person)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} />
            )}
          </Stack>
        )}
      </ConfirmDialog>
    </Stack>
  );
}
