import { MantineProvider } from '@mantine/core';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AccountLayout } from './AccountLayout';
import type { RuntimeConfig } from './runtime';
import { SessionProvider } from './session';
import { FullPageLoader, Home, NotFound, RequireSession } from './Shell';
import { cssVariablesResolver, theme } from './theme';

/** Every page is its own chunk, loaded when first visited: the initial JavaScript holds only the shell. */
const router = createBrowserRouter(
  [
    {
      path: '/sign-in',
      HydrateFallback: () => <FullPageLoader label="Loading…" />,
      lazy: () => import('../pages/SignIn').then((m) => ({ Component: m.SignInPage })),
    },
    {
      path: '/auth/callback',
      HydrateFallback: () => <FullPageLoader label="Loading…" />,
      lazy: () => import('../pages/AuthCallback').then((m) => ({ Component: m.AuthCallbackPage })),
    },
    {
      path: '/',
      Component: RequireSession,
      HydrateFallback: () => <FullPageLoader label="Loading…" />,
      children: [
        { index: true, Component: Home },
        { path: 'accounts', lazy: () => import('../pages/AccountPicker').then((m) => ({ Component: m.AccountPickerPage })) },
        { path: 'me', lazy: () => import('../pages/MyLicenses').then((m) => ({ Component: m.MyLicensesPage })) },
        {
          path: 'a/:accountId',
          Component: AccountLayout,
          children: [
            { index: true, lazy: () => import('../pages/Overview').then((m) => ({ Component: m.OverviewPage })) },
            { path: 'overview', lazy: () => import('../pages/Overview').then((m) => ({ Component: m.OverviewPage })) },
            { path: 'usage', lazy: () => import('../pages/Usage').then((m) => ({ Component: m.UsagePage })) },
            { path: 'term-usage', lazy: () => import('../pages/TermUsage').then((m) => ({ Component: m.TermUsagePage })) },
            { path: 'seats', lazy: () => import('../pages/Seats').then((m) => ({ Component: m.SeatsPage })) },
            { path: 'users', lazy: () => import('../pages/Users').then((m) => ({ Component: m.UsersPage })) },
            { path: 'alerts', lazy: () => import('../pages/Alerts').then((m) => ({ Component: m.AlertsPage })) },
            { path: 'audit', lazy: () => import('../pages/Audit').then((m) => ({ Component: m.AuditPage })) },
          ],
        },
        { path: '*', Component: NotFound },
      ],
    },
  ],
  { basename: import.meta.env.BASE_URL.replace(/\/$/, '') },
);

export function App({ runtime }: { runtime: RuntimeConfig }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <SessionProvider runtime={runtime}>
        <RouterProvider router={router} />
      </SessionProvider>
    </MantineProvider>
  );
}
