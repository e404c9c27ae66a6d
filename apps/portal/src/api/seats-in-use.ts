import { useCallback, useMemo } from 'react';
import { useQuery } from 'urql';

/**
 * Seats in use now per product (contract: distinct users with an active session or
 * check-out), as the number of `seatHolders`: one aliased request for all products.
 * (Entitlement.seatsInUse gives the same number, but the query API answers it by scanning
 * every session on the embedded read store; seatHolders reads the active ones by key.)
 */
export function seatsInUseQuery(productIds: readonly string[]): string {
  const vars = productIds.map((_, i) => `$p${i}: ID!`).join(', ');
  const fields = productIds.map((_, i) => `p${i}: seatHolders(accountId: $accountId, productId: $p${i}) { userId }`).join(' ');
  return `query SeatsInUse($accountId: ID!${vars ? `, ${vars}` : ''}) { ${fields || '__typename'} }`;
}

export function seatsInUseVariables(accountId: string, productIds: readonly string[]): Record<string, string> {
  return Object.fromEntries([['accountId', accountId], ...productIds.map((id, i) => [`p${i}`, id])]);
}

export function useSeatsInUse(accountId: string, productIds: readonly string[]) {
  // urql keys requests by their text and variables, so new arrays with the same ids are the same request.
  const [{ data, error, fetching }, reexecute] = useQuery<Record<string, { userId: string }[]>>({
    query: seatsInUseQuery(productIds),
    variables: seatsInUseVariables(accountId, productIds),
    pause: productIds.length === 0,
  });
  const key = productIds.join('\u0000');
  const counts = useMemo(() => (data ? new Map(key.split('\u0000').map((id, i) => [id, data[`p${i}`]?.length ?? 0])) : null), [data, key]);
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  return { counts, error, fetching, refetch };
}
