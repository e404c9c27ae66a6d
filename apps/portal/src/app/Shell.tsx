import { Alert, Anchor, AppShell, Badge, Burger, Button, Center, Group, Loader, NavLink, ScrollArea, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBell, IconChartLine, IconGauge, IconHistory, IconLicense, IconReceipt, IconSwitchHorizontal, IconUsers, IconArmchair } from '@tabler/icons-react';
import { useEffect, useRef, useSyncExternalStore, type ComponentType } from 'react';
import { Link, Navigate, Outlet, useLocation, useMatch, useNavigate } from 'react-router';
import { useClient, useQuery } from 'urql';
import { ME, type MeData } from '../api/documents';
import { describeError } from '../api/errors';
import { prefetchAccountPage } from '../api/prefetch';
import { isOperatorToken } from '../auth/token';
import { useSession, useSignedIn } from './session';
import { homePath, type Viewer } from './viewer';
import { useViewer, ViewerContext } from './viewer-context';

/**
 * The pages of an account, in the navigation: each page is one entry here and one lazy
 * route. The onboarding extension's CSV import, registration requests and domains are tabs
 * of "Users and groups"; the notifications extension's webhooks are a section of "Alerts".
 */
export const ACCOUNT_PAGES: { path: string; label: string; icon: ComponentType<{ size?: number; 'aria-hidden'?: boolean }> }[] = [
  { path: 'overview', label: 'Overview', icon: IconGauge },
  { path: 'usage', label: 'Usage', icon: IconChartLine },
  { path: 'term-usage', label: 'Term license usage', icon: IconReceipt },
  { path: 'seats', label: 'Seats', icon: IconArmchair },
  { path: 'users', label: 'Users and groups', icon: IconUsers },
  { path: 'alerts', label: 'Alerts', icon: IconBell },
  { path: 'audit', label: 'Audit', icon: IconHistory },
];

/** Pages below need a signed-in person; who they are (operator, user, unregistered) decides what they see. */
export function RequireSession() {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return (
    <>
      <PrefetchFirstPage />
      {isOperatorToken(session.claims) ? <Layout viewer={{ kind: 'operator', sub: session.claims?.sub ?? 'operator' }} /> : <UserGate />}
    </>
  );
}

/** On arrival at an account page, its reads start at once, in parallel with `me` and the page's code (see prefetchAccountPage). */
function PrefetchFirstPage() {
  const client = useClient();
  const match = useMatch('/a/:accountId/*');
  const accountId = match?.params.accountId;
  const page = match?.params['*']?.split('/')[0] || undefined;
  const done = useRef(false);
  useEffect(() => {
    if (done.current || !accountId) return;
    done.current = true;
    prefetchAccountPage(client, accountId, page);
  }, [client, accountId, page]);
  return null;
}

function UserGate() {
  const session = useSignedIn();
  const { signOut } = useSession();
  const [{ data, error, fetching }] = useQuery<MeData>({ query: ME, requestPolicy: 'network-only' });
  const problem = error ? describeError(error) : null;
  useEffect(() => {
    if (problem?.code === 'UNAUTHENTICATED') signOut(problem.message);
  }, [problem?.code, problem?.message, signOut]);
  if (fetching && !data) return <FullPageLoader label="Signing in…" />;
  if (problem) {
    return (
      <Center h="100vh" p="md">
        <Stack maw={520}>
          <Alert color="red" title="Could not sign in" role="alert">
            {problem.message}
          </Alert>
          <Button onClick={() => signOut()}>Sign in again</Button>
        </Stack>
      </Center>
    );
  }
  const me = data?.me;
  const viewer: Viewer = me
    ? { kind: 'user', userId: me.id, accountId: me.accountId, email: me.email, displayName: me.displayName, roles: me.roles, active: me.status === 'ACTIVE' }
    : { kind: 'unregistered', email: session.claims?.email };
  return <Layout viewer={viewer} />;
}

export function FullPageLoader({ label }: { label: string }) {
  return (
    <Center h="100vh" role="status" aria-live="polite">
      <Stack align="center">
        <Loader aria-hidden />
        <Text>{label}</Text>
      </Stack>
    </Center>
  );
}

function Layout({ viewer }: { viewer: Viewer }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  useEffect(() => close(), [location.pathname, close]);
  return (
    <ViewerContext.Provider value={viewer}>
      <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
        <AppShell.Header>
          <Header viewer={viewer} navOpened={opened} toggleNav={toggle} />
        </AppShell.Header>
        <AppShell.Navbar p="xs" component="nav" aria-label="Portal pages">
          <AppShell.Section grow component={ScrollArea}>
            <Navigation viewer={viewer} />
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main>
          <OriginWarning />
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </ViewerContext.Provider>
  );
}

function Header({ viewer, navOpened, toggleNav }: { viewer: Viewer; navOpened: boolean; toggleNav: () => void }) {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const who = viewer.kind === 'operator' ? 'Operator' : viewer.kind === 'user' ? viewer.email : (viewer.email ?? 'Not registered');
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger opened={navOpened} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label={navOpened ? 'Close navigation' : 'Open navigation'} />
        <Anchor component={Link} to="/" underline="never" c="inherit">
          <Title order={1} size="h4">
            <Text span inherit visibleFrom="xs">
              SES Analytics Portal
            </Text>
            <Text span inherit hiddenFrom="xs">
              SES Portal
            </Text>
          </Title>
        </Anchor>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <LiveBadge />
        <Text size="sm" visibleFrom="sm" truncate maw={260} data-testid="signed-in-as">
          <VisuallyHidden>Signed in as </VisuallyHidden>
          {who}
        </Text>
        <Button
          variant="outline"
          size="xs"
          onClick={() => {
            signOut('You have signed out.');
            void navigate('/sign-in', { replace: true });
          }}
        >
          Sign out
        </Button>
      </Group>
    </Group>
  );
}

/** Whether live figures arrive (graphql-ws): shown while a page subscribes. */
function LiveBadge() {
  const { api } = useSignedIn();
  const state = useSyncExternalStore(api.live.subscribe, api.live.get);
  if (state === 'offline') return null;
  return (
    <Badge color={state === 'live' ? 'green' : 'gray'} variant="light" data-testid="live-badge" data-state={state} aria-live="polite">
      {state === 'live' ? 'Live' : 'Connecting…'}
    </Badge>
  );
}

function Navigation({ viewer }: { viewer: Viewer }) {
  const match = useMatch('/a/:accountId/*');
  const location = useLocation();
  const accountId = match?.params.accountId ?? (viewer.kind === 'user' ? viewer.accountId : undefined);
  const showAccount = accountId && (viewer.kind === 'operator' || (viewer.kind === 'user' && homePath(viewer) !== '/me'));
  return (
    <Stack gap={2}>
      {viewer.kind === 'operator' && (
        <NavLink
          component={Link}
          to="/accounts"
          label="Choose account"
          leftSection={<IconSwitchHorizontal size={18} aria-hidden />}
          active={location.pathname === '/accounts'}
        />
      )}
      {showAccount &&
        ACCOUNT_PAGES.map((page) => {
          const to = `/a/${encodeURIComponent(accountId)}/${page.path}`;
          const active = location.pathname === to || (page.path === 'overview' && location.pathname === `/a/${encodeURIComponent(accountId)}`);
          return (
            <NavLink
              key={page.path}
              component={Link}
              to={to}
              label={page.label}
              leftSection={<page.icon size={18} aria-hidden />}
              active={active}
              aria-current={active ? 'page' : undefined}
            />
          );
        })}
      {viewer.kind !== 'operator' && (
        <NavLink
          component={Link}
          to="/me"
          label="My licenses"
          leftSection={<IconLicense size={18} aria-hidden />}
          active={location.pathname === '/me'}
          aria-current={location.pathname === '/me' ? 'page' : undefined}
        />
      )}
    </Stack>
  );
}

/** The command API answers CORS for one origin only: say so when the portal is opened from another address. */
function OriginWarning() {
  const { runtime } = useSession();
  if (!runtime.portalOrigin || runtime.portalOrigin === window.location.origin) return null;
  return (
    <Alert color="yellow" mb="md" title="Changes will not work from this address">
      The command API accepts the portal only from <Anchor href={`${runtime.portalOrigin}/portal/`}>{runtime.portalOrigin}</Anchor>. Open it there (or set
      SES_PORTAL_ORIGIN) to make changes; reading works from here.
    </Alert>
  );
}

export function Home() {
  const viewer = useViewer();
  return <Navigate to={homePath(viewer)} replace />;
}

export function NotFound() {
  return (
    <Stack>
      <Title order={2}>Page not found</Title>
      <Text>
        There is no page at this address.{' '}
        <Anchor component={Link} to="/">
          Go to the start page
        </Anchor>
        .
      </Text>
    </Stack>
  );
}
