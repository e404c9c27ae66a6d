import { Alert, Anchor, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { createContext, useContext, useEffect, useMemo } from 'react';
import { Link, Outlet, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ACCOUNT_SUMMARY, type Account, type AccountSummaryData } from '../api/documents';
import { ErrorMessage } from '../components/ErrorMessage';
import { rememberAccount } from '../lib/recent-accounts';
import { canManageAccount, canManageDomains, canReadAccount, grantableRoles, type Role, type Viewer } from './viewer';
import { useViewer } from './viewer-context';

export interface Product {
  productId: string;
  productName: string;
  /** Seats of ACTIVE entitlements (contract: seats owned). */
  seats: number;
}

export interface AccountScope {
  accountId: string;
  account: Account;
  products: Product[];
  productName(productId: string | null | undefined): string;
  viewer: Viewer;
  canManage: boolean;
  /** setAccountDomains: the operator or an ACCOUNT_ADMINISTRATOR. */
  canManageDomains: boolean;
  grantable: Role[];
  refetch(): void;
}

const AccountContext = createContext<AccountScope | null>(null);

export function useAccount(): AccountScope {
  const scope = useContext(AccountContext);
  if (!scope) throw new Error('useAccount outside AccountLayout');
  return scope;
}

/** One product per product id, with the seats owned (summed over ACTIVE entitlements). */
export function productsOf(account: Account): Product[] {
  const byId = new Map<string, Product>();
  for (const e of account.entitlements) {
    const product = byId.get(e.productId) ?? { productId: e.productId, productName: e.productName, seats: 0 };
    if (e.status === 'ACTIVE') product.seats += e.seats;
    byId.set(e.productId, product);
  }
  return [...byId.values()].sort((a, b) => a.productName.localeCompare(b.productName));
}

/** The pages of one account: checks the viewer may read it, loads its name and products once for all pages. */
export function AccountLayout() {
  const { accountId = '' } = useParams();
  const viewer = useViewer();
  const allowed = canReadAccount(viewer, accountId);
  const [{ data, error, fetching }, reexecute] = useQuery<AccountSummaryData>({ query: ACCOUNT_SUMMARY, variables: { id: accountId }, pause: !allowed });
  const account = data?.account;
  const scope = useMemo<AccountScope | null>(() => {
    if (!account) return null;
    const products = productsOf(account);
    const names = new Map(products.map((p) => [p.productId, p.productName]));
    return {
      accountId,
      account,
      products,
      productName: (id) => (id ? (names.get(id) ?? id) : ''),
      viewer,
      canManage: canManageAccount(viewer, accountId),
      canManageDomains: canManageDomains(viewer, accountId),
      grantable: grantableRoles(viewer, accountId),
      refetch: () => reexecute({ requestPolicy: 'network-only' }),
    };
  }, [account, accountId, viewer, reexecute]);
  useEffect(() => {
    if (account && viewer.kind === 'operator') rememberAccount({ id: account.id, name: account.name });
  }, [account, viewer.kind]);

  if (!allowed) {
    return (
      <Stack maw={640}>
        <Title order={2}>No access to this account</Title>
        <Alert color="red" role="alert" title="Not allowed">
          Only the account’s administrators, co-administrators and auditors can see its usage, seats, users and history.
        </Alert>
        {viewer.kind === 'user' && (
          <Text>
            You can see{' '}
            <Anchor component={Link} to="/me">
              your own licenses
            </Anchor>
            .
          </Text>
        )}
      </Stack>
    );
  }
  if (error && !account) return <ErrorMessage error={error} title="Could not load the account" />;
  if (!scope) {
    if (fetching || !data) return <Skeleton height={200} role="status" aria-label="Loading the account" />;
    return (
      <Alert color="red" role="alert" title="No such account">
        No account has the id “{accountId}”.{' '}
        {viewer.kind === 'operator' && (
          <Anchor component={Link} to="/accounts">
            Choose another account
          </Anchor>
        )}
      </Alert>
    );
  }
  return (
    <AccountContext.Provider value={scope}>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed" data-testid="account-name">
          Account: <strong>{scope.account.name}</strong> ({scope.account.entitlementCountry})
        </Text>
      </Group>
      <Outlet />
    </AccountContext.Provider>
  );
}
