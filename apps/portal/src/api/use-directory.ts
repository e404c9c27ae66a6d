import { useMemo } from 'react';
import { useQuery } from 'urql';
import { useAccount } from '../app/AccountLayout';
import { ACCOUNT_DIRECTORY, type AccountDirectoryData } from './documents';

/** The account's users, groups and alert rules (manager reads), with a way to name a user id. */
export function useDirectory(pause = false) {
  const { accountId } = useAccount();
  const [result, reexecute] = useQuery<AccountDirectoryData>({ query: ACCOUNT_DIRECTORY, variables: { id: accountId }, pause });
  const account = result.data?.account ?? null;
  const userName = useMemo(() => {
    const names = new Map((account?.users ?? []).map((u) => [u.id, `${u.displayName} <${u.email}>`]));
    return (id: string | null | undefined) => (id ? (names.get(id) ?? id) : '');
  }, [account]);
  return { ...result, account, userName, refetch: () => reexecute({ requestPolicy: 'network-only' }) };
}
