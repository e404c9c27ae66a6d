import { seededRandom } from '../apps/query/src/analytics/testing/seeded-random';
import type { ProjectedEvent } from '../apps/query/src/projections/projection';
import type { SeatPoolEvent } from '@ses/domain';

/**
 * A year of one account, as the command side would have logged it: sessions and
 * check-outs of `users` users over `products` products, in time order, each
 * seat-changing event carrying seatsInUse (distinct holders, simulated here) and
 * each ended session its startedAt, machineId and country. Deterministic (seeded).
 */
export interface SynthOptions {
  sessions: number;
  users: number;
  checkouts: number;
  from: string;
  days: number;
}

export const ACCOUNT = 'bench-account';
export const PRODUCTS = ['AECOsim', 'MicroStation', 'OpenRoads', 'ProjectWise', 'SYNCHRO'];
const WEIGHTS = [0.4, 0.25, 0.15, 0.12, 0.08];
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Action {
  at: number;
  kind: 'end' | 'timeout' | 'checkin' | 'expire';
  pool: number;
  user: number;
  id: string;
  startedAt: number;
  machine: string;
  lastHeartbeatAt: number;
}

export function* synthesize(options: SynthOptions): Generator<ProjectedEvent> {
  const random = seededRandom(42);
  const start = Date.parse(options.from);
  const pools = PRODUCTS.map(() => ({ revision: -1, level: 0, holders: new Map<number, { s: number; c: number }>(), checkedOut: new Set<number>() }));
  const heap = new MinHeap<Action>((a, b) => a.at - b.at);
  let position = 0n;
  const ids = (pool: number) => ({ accountId: ACCOUNT, productId: PRODUCTS[pool] });
  const event = (pool: number, at: number, domainEvent: SeatPoolEvent): ProjectedEvent => {
    position += 1n;
    const occurredAt = new Date(at).toISOString();
    const p = pools[pool];
    p.revision += 1;
    return {
      eventId: `e-${position}`,
      streamId: `seatpool-${pool}`,
      revision: BigInt(p.revision),
      position,
      recordedAt: new Date(at),
      metadata: { actor: 'bench', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 1, occurredAt, hash: '' },
      ...domainEvent,
    };
  };
  const hold = (pool: number, user: number, change: { s?: number; c?: number }): number => {
    const p = pools[pool];
    const h = p.holders.get(user) ?? { s: 0, c: 0 };
    const before = h.s > 0 || h.c > 0;
    h.s += change.s ?? 0;
    h.c += change.c ?? 0;
    const after = h.s > 0 || h.c > 0;
    p.holders.set(user, h);
    p.level += Number(after) - Number(before);
    return p.level;
  };
  const seats = [150, 110, 60, 40, 30];
  for (let pool = 0; pool < PRODUCTS.length; pool++) {
    position += 1n;
    const data = {
      accountId: ACCOUNT,
      entitlementId: `ent-${pool}`,
      productId: PRODUCTS[pool],
      productName: PRODUCTS[pool],
      seats: seats[pool],
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + (options.days + 1) * DAY).toISOString(),
      country: 'US',
      offlineDays: 7,
      checkoutAllowed: true,
      maxCheckoutDays: 30,
    };
    yield {
      eventId: `e-${position}`,
      type: 'EntitlementGranted',
      data,
      streamId: `account-${ACCOUNT}`,
      revision: BigInt(pool),
      position,
      recordedAt: new Date(start),
      metadata: { actor: 'bench', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 1, occurredAt: new Date(start).toISOString(), hash: '' },
    };
  }
  let sessionNo = 0;
  let checkoutNo = 0;
  for (let day = 0; day < options.days; day++) {
    const dayStart = start + day * DAY;
    const count = Math.floor(((day + 1) * options.sessions) / options.days) - Math.floor((day * options.sessions) / options.days);
    const checkouts = Math.floor(((day + 1) * options.checkouts) / options.days) - Math.floor((day * options.checkouts) / options.days);
    const starts: { at: number; kind: 'session' | 'checkout' }[] = [];
    for (let i = 0; i < count; i++) starts.push({ at: dayStart + Math.floor(workTime(random) * DAY), kind: 'session' });
    for (let i = 0; i < checkouts; i++) starts.push({ at: dayStart + Math.floor(random() * DAY), kind: 'checkout' });
    starts.sort((a, b) => a.at - b.at);
    for (const next of starts) {
      while (heap.size > 0 && heap.peek()!.at <= next.at) yield* finish(heap.pop()!);
      const user = Math.floor(random() * options.users);
      const pool = pickWeighted(random());
      const machine = `ws-${user}-${random() < 0.85 ? 'a' : 'b'}`;
      if (next.kind === 'session') {
        const id = `s${++sessionNo}`;
        const minutes = 5 + Math.floor(-Math.log(1 - random()) * 70);
        yield event(pool, next.at, {
          type: 'UsageStarted',
          data: {
            ...ids(pool),
            sessionId: id,
            userId: `user-${user}`,
            machineId: machine,
            productVersion: '24.1',
            termLicenseUsage: false,
            country: countryOf(user),
            startedAt: new Date(next.at).toISOString(),
            seatsInUse: hold(pool, user, { s: 1 }),
          },
        });
        const end = next.at + minutes * MINUTE;
        const timedOut = random() < 0.08;
        heap.push({
          at: timedOut ? end + 15 * MINUTE : end,
          kind: timedOut ? 'timeout' : 'end',
          pool,
          user,
          id,
          startedAt: next.at,
          machine,
          lastHeartbeatAt: end,
        });
      } else if (!pools[pool].checkedOut.has(user)) {
        const id = `c${++checkoutNo}`;
        const expiresAt = next.at + (1 + Math.floor(random() * 14)) * DAY;
        pools[pool].checkedOut.add(user);
        yield event(pool, next.at, {
          type: 'LicenseCheckedOut',
          data: {
            ...ids(pool),
            checkoutId: id,
            userId: `user-${user}`,
            machineId: machine,
            checkedOutAt: new Date(next.at).toISOString(),
            expiresAt: new Date(expiresAt).toISOString(),
            seatsInUse: hold(pool, user, { c: 1 }),
          },
        });
        const early = random() < 0.4;
        heap.push({
          at: early ? next.at + Math.floor(random() * (expiresAt - next.at)) : expiresAt,
          kind: early ? 'checkin' : 'expire',
          pool,
          user,
          id,
          startedAt: next.at,
          machine,
          lastHeartbeatAt: 0,
        });
      }
    }
  }
  while (heap.size > 0 && heap.peek()!.at < start + options.days * DAY) yield* finish(heap.pop()!);

  function* finish(action: Action): Generator<ProjectedEvent> {
    const userId = `user-${action.user}`;
    const at = new Date(action.at).toISOString();
    const origin = { startedAt: new Date(action.startedAt).toISOString(), machineId: action.machine, country: countryOf(action.user) };
    switch (action.kind) {
      case 'end':
        yield event(action.pool, action.at, {
          type: 'UsageEnded',
          data: { ...ids(action.pool), sessionId: action.id, userId, endedAt: at, ...origin, seatsInUse: hold(action.pool, action.user, { s: -1 }) },
        });
        return;
      case 'timeout':
        yield event(action.pool, action.at, {
          type: 'UsageTimedOut',
          data: {
            ...ids(action.pool),
            sessionId: action.id,
            userId,
            lastHeartbeatAt: new Date(action.lastHeartbeatAt).toISOString(),
            timedOutAt: at,
            ...origin,
            seatsInUse: hold(action.pool, action.user, { s: -1 }),
          },
        });
        return;
      default: {
        pools[action.pool].checkedOut.delete(action.user);
        const checkout = { ...ids(action.pool), checkoutId: action.id, userId, seatsInUse: hold(action.pool, action.user, { c: -1 }) };
        yield event(
          action.pool,
          action.at,
          action.kind === 'checkin'
            ? { type: 'LicenseCheckedIn', data: { ...checkout, checkedInAt: at } }
            : { type: 'CheckoutExpired', data: { ...checkout, expiredAt: at } },
        );
      }
    }
  }
}

/** Mostly office hours (UTC), with a tail at night so some sessions run past midnight. */
function workTime(random: () => number): number {
  return random() < 0.85 ? 0.29 + random() * 0.46 : random();
}

function pickWeighted(r: number): number {
  let acc = 0;
  for (let i = 0; i < WEIGHTS.length; i++) if (r < (acc += WEIGHTS[i])) return i;
  return WEIGHTS.length - 1;
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.less(items[i], items[parent]) >= 0) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l], items[m]) < 0) m = l;
        if (r < items.length && this.less(items[r], items[m]) < 0) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }
}

const countryOf = (user: number): string => (user % 10 === 0 ? 'GB' : 'US');
