import { Badge, Button, Group, List, Stack, Switch, TagsInput, Text } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ACCOUNT_DOMAINS, SET_ACCOUNT_DOMAINS, type AccountDomainsData } from '../../api/documents';
import { useAccount } from '../../app/AccountLayout';
import { Busy } from '../../components/Busy';
import { ErrorMessage } from '../../components/ErrorMessage';

/**
 * The account's email domains and auto-approval (onboarding's setAccountDomains): people
 * with an email in these domains may ask to join. Everyone who reads the account sees
 * them; only the operator and account administrators change them.
 */
export function DomainsTab() {
  const { accountId, canManageDomains } = useAccount();
  const [{ data, error, fetching }, refetch] = useQuery<AccountDomainsData>({ query: ACCOUNT_DOMAINS, variables: { id: accountId } });
  const current = data?.account;
  return (
    <Stack maw={720}>
      <Text size="sm">
        A person signed in with an email in one of these domains who is not yet registered can ask to join this account from the portal. With automatic approval
        they are registered at once (with no roles); otherwise their request waits under Registration requests. A domain belongs to one account only.
      </Text>
      <ErrorMessage error={error} title="Could not load the domains" />
      {fetching && !current && <Busy label="Loading the domains…" />}
      {current && !canManageDomains && <ReadOnlyDomains domains={current.domains} autoApprove={current.autoApprove} />}
      {current && canManageDomains && (
        // A new editor (fresh form state) whenever the saved values change.
        <DomainsForm key={`${current.domains.join(',')}|${current.autoApprove}`} saved={current} onSaved={() => refetch({ requestPolicy: 'network-only' })} />
      )}
    </Stack>
  );
}

function ReadOnlyDomains({ domains, autoApprove }: { domains: string[]; autoApprove: boolean }) {
  return (
    <Stack gap="xs" data-testid="domains">
      {domains.length === 0 ? (
        <Text>No domains: nobody can ask to join.</Text>
      ) : (
        <List>
          {domains.map((d) => (
            <List.Item key={d}>{d}</List.Item>
          ))}
        </List>
      )}
      <Group gap="xs">
        <Text size="sm">Requests are</Text>
        <Badge variant="light" color={autoApprove ? 'green' : 'gray'}>
          {autoApprove ? 'approved automatically' : 'decided by an administrator'}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        Only an account administrator can change them.
      </Text>
    </Stack>
  );
}

function DomainsForm({ saved, onSaved }: { saved: { domains: string[]; autoApprove: boolean }; onSaved: () => void }) {
  const { accountId } = useAccount();
  const [domains, setDomains] = useState<string[]>(saved.domains);
  const [autoApprove, setAutoApprove] = useState(saved.autoApprove);
  const [{ fetching: saving }, save] = useMutation(SET_ACCOUNT_DOMAINS);
  const [failure, setFailure] = useState<unknown>(null);
  const changed = autoApprove !== saved.autoApprove || domains.join(',') !== saved.domains.join(',');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setFailure(null);
        void save({ input: { accountId, domains, autoApprove } }).then((result) => (result.error ? setFailure(result.error) : onSaved()));
      }}
    >
      <Stack>
        <TagsInput
          label="Email domains"
          description="Host names such as acme.example; press Enter after each."
          placeholder={domains.length ? '' : 'acme.example'}
          value={domains}
          onChange={(values) => setDomains([...new Set(values.map((v) => v.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))])}
          splitChars={[',', ' ', ';']}
          clearable
        />
        <Switch label="Approve requests automatically" checked={autoApprove} onChange={(e) => setAutoApprove(e.currentTarget.checked)} />
        <ErrorMessage error={failure} title="Could not save the domains" />
        <Group>
          <Button type="submit" loading={saving} disabled={!changed}>
            Save domains
          </Button>
          {!changed && (
            <Text size="sm" c="dimmed" role="status" data-testid="domains-saved">
              {saved.domains.length ? `Saved: ${saved.domains.join(', ')}.` : 'No domains saved.'}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
