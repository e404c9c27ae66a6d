import type { CheckoutRecord, CheckoutStatus, SessionStatus } from '@ses/domain';
import type { PoolRef, RecordedResult } from '../lookups/lookups';
import type { IndexedSession, IndexWrite } from './command-index-store.port';

type ClosedSession = Exclude<SessionStatus, 'ACTIVE' | 'DENIED'>;
type ClosedCheckout = Exclude<CheckoutStatus, 'ACTIVE'>;
export type PooledCheckout = CheckoutRecord & { pool: PoolRef };

/** What a layer knows of a record: the whole record, or only that it was closed (the record itself lies below). */
export type Entry<R, S> = { record: R } | { closed: S };

export const poolKey = (pool: PoolRef): string => `${pool.accountId}\u0000${pool.productId}`;

/**
 * Index writes not yet in the store, in log order, and what they change as the lookups see it:
 * the same answers the store gives once they are applied (the SQLite adapter's statements:
 * an entity's first account wins, a session or check-out write replaces the record, a close
 * changes only the status, a result is kept unless one of a later position is). A heartbeat
 * changes only when a session falls due, which no lookup here answers (due pools are read
 * from the store after a flush), so it is kept for the flush only.
 */
export class IndexOverlay {
  readonly writes: IndexWrite[] = [];
  /** The checkpoint these writes complete, undefined until a write or an `upTo` came. */
  upTo: bigint | undefined;
  readonly entities = new Map<string, string>();
  /** Session id, then pool. */
  readonly sessions = new Map<string, Map<string, Entry<IndexedSession, ClosedSession>>>();
  readonly checkouts = new Map<string, Entry<PooledCheckout, ClosedCheckout>>();
  readonly results = new Map<string, RecordedResult>();

  get empty(): boolean {
    return this.writes.length === 0 && this.upTo === undefined;
  }

  add(write: IndexWrite): void {
    this.writes.push(write);
    switch (write.kind) {
      case 'entity':
        if (!this.entities.has(write.entityId)) this.entities.set(write.entityId, write.accountId);
        return;
      case 'session': {
        const { pool, sessionId, record } = write;
        this.sessionsOf(sessionId).set(poolKey(pool), { record: { ...record, sessionId, accountId: pool.accountId, productId: pool.productId } });
        return;
      }
      case 'sessionActivity':
        return;
      case 'sessionClosed': {
        const pools = this.sessionsOf(write.sessionId);
        const key = poolKey(write.pool);
        const entry = pools.get(key);
        pools.set(key, entry && 'record' in entry ? { record: { ...entry.record, status: write.status } } : { closed: write.status });
        return;
      }
      case 'checkout': {
        // A check-out id is checked out once; were it written again, the store keeps the first holder and pool.
        const entry = this.checkouts.get(write.checkoutId);
        const first = entry && 'record' in entry ? entry.record : { userId: write.userId, pool: write.pool };
        this.checkouts.set(write.checkoutId, { record: { userId: first.userId, pool: first.pool, status: 'ACTIVE' } });
        return;
      }
      case 'checkoutClosed': {
        const entry = this.checkouts.get(write.checkoutId);
        this.checkouts.set(write.checkoutId, entry && 'record' in entry ? { record: { ...entry.record, status: write.status } } : { closed: write.status });
        return;
      }
      case 'result': {
        const known = this.results.get(write.key);
        if (!known || write.position > known.position) this.results.set(write.key, { result: write.result ?? null, position: write.position });
        return;
      }
    }
  }

  private sessionsOf(sessionId: string): Map<string, Entry<IndexedSession, ClosedSession>> {
    let pools = this.sessions.get(sessionId);
    if (!pools) this.sessions.set(sessionId, (pools = new Map()));
    return pools;
  }
}

/**
 * A record as the layers (newest first) and the store below them hold it: the newest whole
 * record, with the newest close above it applied; the store's record when no layer has one.
 */
export async function resolveEntry<R extends { status: string }, S extends string>(
  entries: readonly (Entry<R, S> | undefined)[],
  stored: () => Promise<R | null>,
): Promise<R | null> {
  let closed: S | undefined;
  for (const entry of entries) {
    if (!entry) continue;
    if ('record' in entry) return closed ? { ...entry.record, status: closed } : entry.record;
    closed ??= entry.closed;
  }
  const record = await stored();
  return record && closed ? { ...record, status: closed } : record;
}
