import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { MY_REGISTRATION_REQUESTS, REQUEST_REGISTRATION, type MyRegistrationRequestsData, type RequestRegistrationData } from '../../api/documents';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatInstant } from '../../lib/time';

/** What requestRegistration's NOT_FOUND means here (contract: the answer tells them to ask their administrator). */
const JOIN_MESSAGES = {
  NOT_FOUND: 'No organisation has claimed your email’s domain in this service. Ask your administrator to register you, or to add your domain to the account.',
};

/**
 * "Individual User Registration Process" (onboarding's requestRegistration): a person
 * whose email is not registered asks to join the account that claims their email's
 * domain, and sees their requests. With automatic approval they are registered at once.
 */
export function JoinRequest() {
  const [{ data, error }, refetch] = useQuery<MyRegistrationRequestsData>({ query: MY_REGISTRATION_REQUESTS });
  const [displayName, setDisplayName] = useState('');
  const [country, setCountry] = useState('');
  const [{ fetching }, request] = useMutation<RequestRegistrationData>(REQUEST_REGISTRATION);
  const [failure, setFailure] = useState<unknown>(null);
  const requests = data?.myRegistrationRequests ?? [];
  const pending = requests.some((r) => r.status === 'PENDING');
  const approved = requests.some((r) => r.status === 'APPROVED');

  if (approved) {
    return (
      <Alert color="green" title="You are registered" role="status" data-testid="join-approved">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">Your request to join was approved. Reload to see your licenses.</Text>
          <Button size="xs" onClick={() => window.location.reload()}>
            Reload
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Card withBorder component="section" aria-labelledby="join-title" maw={640}>
      <Title order={3} size="h4" id="join-title" mb="xs">
        Ask to join your organisation
      </Title>
      <ErrorMessage error={error} title="Could not load your requests" />
      {requests.length > 0 && (
        <Stack gap={4} mb="sm" data-testid="my-requests">
          {requests.map((r) => (
            <Group key={r.id} gap="xs" wrap="wrap">
              <Badge variant="light" color={r.status === 'PENDING' ? 'yellow' : r.status === 'APPROVED' ? 'green' : 'gray'}>
                {r.status === 'PENDING' ? 'Waiting for an administrator' : r.status === 'APPROVED' ? 'Approved' : 'Rejected'}
              </Badge>
              <Text size="sm">
                Asked {formatInstant(r.requestedAt)} UTC as {r.displayName}
                {r.reason ? ` — reason: ${r.reason}` : ''}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
      {pending ? (
        <Text size="sm">Your request is waiting for an administrator of your organisation’s account.</Text>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setFailure(null);
            void request({ input: { displayName: displayName.trim(), country: country.trim().toUpperCase() || undefined } }).then((result) => {
              if (result.error) setFailure(result.error);
              refetch({ requestPolicy: 'network-only' });
            });
          }}
        >
          <Stack>
            <Text size="sm">The account that claims your email’s domain receives your request; an administrator approves it (or it is approved at once).</Text>
            <TextInput label="Your name" required value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} autoComplete="name" />
            <TextInput
              label="Country"
              description="ISO code of two letters; empty: the account’s country."
              value={country}
              maxLength={2}
              onChange={(e) => setCountry(e.currentTarget.value)}
              w={200}
            />
            <ErrorMessage error={failure} title="Could not send the request" messages={JOIN_MESSAGES} />
            <Group>
              <Button type="submit" loading={fetching}>
                Ask to join
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
