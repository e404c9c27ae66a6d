import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupsContract } from '../lookups/lookups.contract';
import { BufferedCommandIndexStore, type BufferedIndexOptions } from './buffered-command-index-store';
import type { CommandIndexStore, IndexWrite } from './command-index-store.port';
import { SqliteCommandIndexStore } from './sqlite-command-index-store';

const dir = mkdtempSync(join(tmpdir(), 'buffered-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

lookupsContract(
  'BufferedCommandIndexStore over SQLite',
  async (where) => new BufferedCommandIndexStore(new SqliteCommandIndexStore(join(dir, `${where}.sqlite`))),
);

/** The SQLite store, counting the batches it is given, and failing them while `down`. */
class WatchedStore extends SqliteCommandIndexStore {
  batches = 0;
  down = false;
  override async apply(writes: readonly IndexWrite[], upTo: bigint): Promise<void> {
    if (this.down) throw new Error('index store unreachable');
    this.batches += 1;
    return super.apply(writes, upTo);
  }
}

async function until(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const pool = { accountId: 'a1', productId: 'p' };
const record = { userId: 'u1', allowed: true, denyReason: null, termLicenseUsage: false, status: 'ACTIVE' as const };
const started = (sessionId: string, position: bigint): IndexWrite => ({ kind: 'session', pool, sessionId, record, lastActivityMs: 0, position });

describe('BufferedCommandIndexStore', () => {
  let file: string;
  const open: CommandIndexStore[] = [];
  const watched = () => {
    const store = new WatchedStore(file);
    open.push(store);
    return store;
  };
  const buffered = (inner: CommandIndexStore, options: BufferedIndexOptions = {}) => {
    const store = new BufferedCommandIndexStore(inner, options);
    open.push(store);
    return store;
  };
  let n = 0;
  beforeEach(() => (file = join(dir, `unit-${++n}.sqlite`)));
  afterEach(async () => {
    for (const store of open.splice(0).reverse()) await store.close().catch(() => undefined);
  });

  it('answers what is not stored yet from memory, then stores it in one batch within flushAfterMs', async () => {
    const inner = watched();
    const store = buffered(inner, { flushAfterMs: 30 });
    await store.apply(
      [
        { kind: 'entity', entityId: 'u1', accountId: 'a1', position: 1n },
        started('s1', 2n),
        { kind: 'result', key: 'k1', result: { sessionId: 's1' }, position: 2n },
        { kind: 'checkout', pool, checkoutId: 'c1', userId: 'u1', expiresMs: 10, position: 3n },
      ],
      3n,
    );
    await store.apply([{ kind: 'checkoutClosed', checkoutId: 'c1', status: 'CHECKED_IN', position: 4n }], 4n);
    expect(await inner.checkpoint()).toBeNull();
    expect(await store.checkpoint()).toBe(4n);
    expect(await store.accountOf('u1')).toBe('a1');
    expect(await store.sessions('s1')).toEqual([{ ...record, sessionId: 's1', ...pool }]);
    expect(await store.session(pool, 's1')).toMatchObject({ status: 'ACTIVE', userId: 'u1' });
    expect(await store.result('k1')).toEqual({ result: { sessionId: 's1' }, position: 2n });
    expect(await store.checkout('c1')).toEqual({ userId: 'u1', status: 'CHECKED_IN', pool });

    await until(async () => (await inner.checkpoint()) === 4n, 'the writes are stored');
    expect(inner.batches).toBe(1);
    expect(store.waitingWrites).toBe(0);
    expect(await inner.checkout('c1')).toEqual({ userId: 'u1', status: 'CHECKED_IN', pool });
    expect(await inner.result('k1')).toEqual({ result: { sessionId: 's1' }, position: 2n });
  });

  it('closes records the store holds, before it is told: the status changes, a close of an id found nowhere finds nothing', async () => {
    const inner = watched();
    await inner.apply([started('s1', 1n), { kind: 'checkout', pool, checkoutId: 'c1', userId: 'u1', expiresMs: 10, position: 2n }], 2n);
    const store = buffered(inner, { flushAfterMs: 60_000 });
    await store.apply(
      [
        { kind: 'sessionClosed', pool, sessionId: 's1', status: 'ENDED', position: 3n },
        { kind: 'sessionClosed', pool, sessionId: 'nowhere', status: 'ENDED', position: 4n },
        { kind: 'checkoutClosed', checkoutId: 'c1', status: 'EXPIRED', position: 5n },
        { kind: 'checkoutClosed', checkoutId: 'c-nowhere', status: 'EXPIRED', position: 6n },
      ],
      6n,
    );
    expect(await store.session(pool, 's1')).toMatchObject({ status: 'ENDED', userId: 'u1' });
    expect(await store.sessions('s1')).toEqual([expect.objectContaining({ sessionId: 's1', status: 'ENDED' })]);
    expect(await store.session(pool, 'nowhere')).toBeNull();
    expect(await store.sessions('nowhere')).toEqual([]);
    expect(await store.checkout('c1')).toEqual({ userId: 'u1', status: 'EXPIRED', pool });
    expect(await store.checkout('c-nowhere')).toBeNull();
    // A start written again above the close (a session id reused in this pool) replaces the record.
    await store.apply([started('s1', 7n)], 7n);
    expect(await store.session(pool, 's1')).toMatchObject({ status: 'ACTIVE' });
    expect(await inner.session(pool, 's1')).toMatchObject({ status: 'ACTIVE' });
    expect(inner.batches).toBe(1);
  });

  it('loses nothing to a kill before a flush: the stored checkpoint has not moved, so a restart reads those events again', async () => {
    const store = buffered(watched(), { flushAfterMs: 60_000 });
    await store.apply([started('s1', 1n)], 1n);
    await store.flushAll();
    await store.apply([started('s2', 2n)], 2n);
    const afterKill = watched();
    expect(await afterKill.checkpoint()).toBe(1n);
    expect(await afterKill.session(pool, 's2')).toBeNull();
  });

  it('stores once flushAtWrites are waiting, without waiting for the timer', async () => {
    const inner = watched();
    const store = buffered(inner, { flushAfterMs: 60_000, flushAtWrites: 3 });
    await store.apply([started('s1', 1n), started('s2', 2n)], 2n);
    expect(store.waitingWrites).toBe(2);
    await store.apply([started('s3', 3n)], 3n);
    await until(async () => (await inner.checkpoint()) === 3n, 'three writes are stored');
    expect(inner.batches).toBe(1);
  });

  it('keeps answering while the store fails, says so once, and stores everything in order once it works again', async () => {
    const inner = watched();
    const errors: unknown[] = [];
    const store = buffered(inner, { flushAfterMs: 10, onFlushError: (error) => errors.push(error) });
    inner.down = true;
    await store.apply([started('s1', 1n)], 1n);
    await until(() => errors.length === 1, 'the failure is reported');
    await store.apply([{ kind: 'sessionClosed', pool, sessionId: 's1', status: 'TIMED_OUT', position: 2n }, started('s2', 3n)], 3n);
    expect(await store.session(pool, 's1')).toMatchObject({ status: 'TIMED_OUT' });
    expect(await store.sessions('s2')).toHaveLength(1);
    inner.down = false;
    await until(async () => (await inner.checkpoint()) === 3n, 'the writes are stored after the failures');
    expect(errors).toHaveLength(1);
    expect(await inner.session(pool, 's1')).toMatchObject({ status: 'TIMED_OUT' });
    expect(await inner.session(pool, 's2')).toMatchObject({ status: 'ACTIVE' });
  });

  it('makes apply wait for the store past maxWaitingWrites: a store that stays down then fails the caller', async () => {
    const inner = watched();
    const store = buffered(inner, { flushAfterMs: 60_000, maxWaitingWrites: 2 });
    inner.down = true;
    await store.apply([started('s1', 1n)], 1n);
    await expect(store.apply([started('s2', 2n)], 2n)).rejects.toThrow('index store unreachable');
    inner.down = false;
    await store.apply([started('s3', 3n)], 3n);
    expect(await inner.checkpoint()).toBe(3n);
  });

  it('plans no more flushes once closed, even when a flush in flight fails after the close began', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const inner = watched();
      const store = buffered(inner, { flushAfterMs: 10 });
      inner.down = true;
      await store.apply([started('s1', 1n)], 1n);
      jest.advanceTimersByTime(10); // the background flush starts, and will fail
      await expect(store.close()).rejects.toThrow('index store unreachable');
      await new Promise((resolve) => setImmediate(resolve));
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers the store checkpoint when another process stored more, dropping what waits here', async () => {
    const a = buffered(watched(), { flushAfterMs: 60_000 });
    const b = buffered(watched(), { flushAfterMs: 60_000 });
    await a.apply([started('s1', 1n)], 1n);
    await b.apply([started('s1', 1n), started('s2', 2n)], 2n);
    await b.flushAll();
    expect(await a.checkpoint()).toBe(2n);
    expect(a.waitingWrites).toBe(0);
    expect(await a.session(pool, 's2')).toMatchObject({ status: 'ACTIVE' });
    // Writes at or below the checkpoint are skipped, as the store skips them.
    await a.apply([{ kind: 'sessionClosed', pool, sessionId: 's2', status: 'ENDED', position: 2n }], 2n);
    expect(await a.session(pool, 's2')).toMatchObject({ status: 'ACTIVE' });
  });

  it('flushes before questions across records (due pools, pools), and keeps the latest result of a key', async () => {
    const inner = watched();
    const store = buffered(inner, { flushAfterMs: 60_000 });
    await store.apply([started('s1', 1n), { kind: 'result', key: 'k', result: 'second', position: 5n }], 5n);
    expect(await store.duePools(900_000 + 1, 900_000, 10)).toEqual([pool]);
    expect(await store.pools()).toEqual([pool]);
    expect(inner.batches).toBe(1);
    await store.apply([{ kind: 'result', key: 'k', result: 'later', position: 6n }], 6n);
    expect(await store.result('k')).toEqual({ result: 'later', position: 6n });
  });
});
