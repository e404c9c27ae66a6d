import { Alert, Badge, Card, Group, List, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from 'urql';
import { MY_ADMINISTRATORS, POLICY, type MyAdministratorsData, type PolicyData } from '../api/documents';
import { ROLE_LABELS } from '../app/viewer';
import { useViewer } from '../app/viewer-context';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageTitle } from '../components/PageTitle';
import { formatInstant } from '../lib/time';
import { JoinRequest } from './me/JoinRequest';

const DENY_REASONS: Record<string, string> = {
  NOT_REGISTERED: 'You are not registered.',
  USER_DEACTIVATED: 'Your user account is deactivated.',
  NOT_ENTITLED: 'Your organisation has no active entitlement for this product in your country.',
  GROUP_RESTRICTED: 'Your groups do not include this product.',
  THRESHOLD_REACHED: 'A license alert currently denies new sessions: all allowed seats are in use.',
};

/**
 * What a plain user sees: their own policy (products they may run, offline period) and their
 * administrators; a person not yet registered asks to join their organisation's account here.
 */
export function MyLicensesPage() {
  const viewer = useViewer();
  const registered = viewer.kind === 'user';
  const [{ data, error, fetching }] = useQuery<PolicyData>({ query: POLICY, pause: !registered });
  return (
    <Stack>
      <PageTitle title="My licenses" description="The products you may run, and how long your license works without contacting the service." />
      {!registered && (
        <Alert color="yellow" title="Your email is not registered" role="status">
          {viewer.kind === 'unregistered' && viewer.email ? `${viewer.email} is` : 'You are'} not a registered user of any account. Ask to join your
          organisation’s account below, or ask its administrator to register you.
        </Alert>
      )}
      {viewer.kind === 'unregistered' && <JoinRequest />}
      <ErrorMessage error={error} title="Could not load your licenses" />
      {registered && fetching && !data && <Skeleton h={160} role="status" aria-label="Loading your licenses" />}
      {data && (
        <>
          <Text>
            Valid offline until <strong>{formatInstant(data.policy.expiresAt)} UTC</strong>.{' '}
            {data.policy.canDownload ? 'You may download installers of these products.' : 'You may not download installers.'}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {data.policy.products.map((p) => (
              <Card withBorder key={p.productId} data-testid="policy-product">
                <Group justify="space-between" mb="xs">
                  <Title order={3} size="h4">
                    {p.productName}
                  </Title>
                  <Badge color={p.allowed ? 'green' : 'red'} variant="light">
                    {p.allowed ? 'Allowed' : 'Not allowed'}
                  </Badge>
                </Group>
                {!p.allowed && <Text size="sm">{DENY_REASONS[p.denyReason ?? ''] ?? 'Not allowed.'}</Text>}
                <Text size="sm">Works offline for {p.offlineDays} days.</Text>
                <Text size="sm">{p.checkoutAllowed ? `Check-out for up to ${p.maxCheckoutDays} days.` : 'No check-outs.'}</Text>
                {p.termLicenseUsageLikely && (
                  <Text size="sm" c="orange.9">
                    All seats are in use: starting it now would be term license usage.
                  </Text>
                )}
              </Card>
            ))}
          </SimpleGrid>
          {data.policy.products.length === 0 && <Text>Your organisation has no products yet.</Text>}
        </>
      )}
      {registered && <Administrators />}
    </Stack>
  );
}

/** "Finding your Administrator" (onboarding's `myAdministrators`): whom to ask for a role or a product. */
function Administrators() {
  const [{ data, error }] = useQuery<MyAdministratorsData>({ query: MY_ADMINISTRATORS });
  if (error) return <ErrorMessage error={error} title="Could not load your administrators" />;
  if (!data?.myAdministrators) return null;
  return (
    <Stack gap={4} data-testid="my-administrators">
      <Title order={3} size="h4">
        Your administrators
      </Title>
      <List>
        {data.myAdministrators.map((a) => (
          <List.Item key={a.userId}>
            {a.displayName} ({a.email}) — {a.roles.map((r) => ROLE_LABELS[r]).join(', ')}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
