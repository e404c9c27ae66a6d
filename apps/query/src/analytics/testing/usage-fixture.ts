import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evolveSeatPool, initialSeatPoolState, withSeatLevels, type SeatPoolEvent, type SeatPoolState } from '@ses/domain';
import { streams, type DomainEvent } from '@ses/events';
import { EmbeddedReadStore } from '@ses/read-store';
import type { ProjectedEvent } from '../../projections/projection';
import { PROJECTION_CHECKPOINT } from '../../projections/projection-engine';
import { AnalyticsQueries } from '../analytics.queries';
import { usageAnalyticsProjection } from '../usage-analytics.projection';

export const ACCOUNT = 'a1';

interface Session {
  productId: string;
  userId: string;
  machineId: string;
}

/**
 * Writes an account's history the way the command side does: seat-pool events get
 * their `seatsInUse` (and ended sessions their origin) from the domain's own
 * withSeatLevels over the evolving pool state, then go through the projection into
 * a real embedded read store.
 */
export class UsageFixture {
  readonly queries: AnalyticsQueries;
  private position = 0n;
  private readonly pools = new Map<string, { state: SeatPoolState; revision: bigint }>();
  private readonly sessions = new Map<string, Session>();
  private readonly checkouts = new Map<string, Session>();
  private readonly pending: ProjectedEvent[] = [];

  private constructor(readonly store: EmbeddedReadStore) {
    this.queries = new AnalyticsQueries(store);
  }

  static async open(): Promise<UsageFixture> {
    return new UsageFixture(await EmbeddedReadStore.open(join(mkdtempSync(join(tmpdir(), 'analytics-')), 'read.sqlite')));
  }

  grant(entitlementId: string, productId: string, seats: number, startsAt = '2026-01-01T00:00:00.000Z', endsAt = '2027-01-01T00:00:00.000Z'): this {
    const data = {
      accountId: ACCOUNT,
      entitlementId,
      productId,
      productName: productId,
      seats,
      startsAt,
      endsAt,
      country: 'US',
      offlineDays: 7,
      checkoutAllowed: true,
      maxCheckoutDays: 30,
    };
    return this.account({ type: 'EntitlementGranted', data }, startsAt);
  }

  revoke(entitlementId: string, productId: string, at: string): this {
    return this.account({ type: 'EntitlementRevoked', data: { accountId: ACCOUNT, entitlementId, productId, reason: 'test' } }, at);
  }

  start(sessionId: string, userId: string, productId: string, at: string, machineId = `m-${userId}`, country = 'US'): this {
    this.sessions.set(sessionId, { productId, userId, machineId });
    const data = { accountId: ACCOUNT, sessionId, userId, productId, machineId, productVersion: null, termLicenseUsage: false, country, startedAt: at };
    return this.pool(productId, { type: 'UsageStarted', data }, at);
  }

  deny(sessionId: string, userId: string, productId: string, at: string): this {
    const data = { accountId: ACCOUNT, sessionId, userId, productId, machineId: `m-${userId}`, denyReason: 'THRESHOLD_REACHED' as const, deniedAt: at };
    return this.pool(productId, { type: 'UsageDenied', data }, at);
  }

  end(sessionId: string, at: string): this {
    const s = this.sessions.get(sessionId)!;
    return this.pool(s.productId, { type: 'UsageEnded', data: { accountId: ACCOUNT, sessionId, userId: s.userId, productId: s.productId, endedAt: at } }, at);
  }

  timeOut(sessionId: string, lastHeartbeatAt: string, at: string): this {
    const s = this.sessions.get(sessionId)!;
    const data = { accountId: ACCOUNT, sessionId, userId: s.userId, productId: s.productId, lastHeartbeatAt, timedOutAt: at };
    return this.pool(s.productId, { type: 'UsageTimedOut', data }, at);
  }

  checkOut(checkoutId: string, userId: string, productId: string, at: string, expiresAt: string): this {
    this.checkouts.set(checkoutId, { productId, userId, machineId: `m-${userId}` });
    const data = { accountId: ACCOUNT, checkoutId, userId, productId, machineId: `m-${userId}`, checkedOutAt: at, expiresAt };
    return this.pool(productId, { type: 'LicenseCheckedOut', data }, at);
  }

  checkIn(checkoutId: string, at: string): this {
    const c = this.checkouts.get(checkoutId)!;
    return this.pool(
      c.productId,
      { type: 'LicenseCheckedIn', data: { accountId: ACCOUNT, checkoutId, userId: c.userId, productId: c.productId, checkedInAt: at } },
      at,
    );
  }

  /** The expiry as the timer emits it: decided at `at` (>= expiresAt), expiredAt = expiresAt. */
  expire(checkoutId: string, expiresAt: string, at = expiresAt): this {
    const c = this.checkouts.get(checkoutId)!;
    return this.pool(
      c.productId,
      { type: 'CheckoutExpired', data: { accountId: ACCOUNT, checkoutId, userId: c.userId, productId: c.productId, expiredAt: expiresAt } },
      at,
    );
  }

  /** Projects everything recorded so far, in batches like the engine's. */
  async project(batchSize = 500): Promise<this> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, batchSize);
      await this.store.commit(
        PROJECTION_CHECKPOINT,
        batch[batch.length - 1].position,
        batch.flatMap((event) => usageAnalyticsProjection.project(event)),
      );
    }
    return this;
  }

  /** The recorded but unprojected events (for projection-level assertions). */
  take(): ProjectedEvent[] {
    return this.pending.splice(0, this.pending.length);
  }

  private account(event: DomainEvent, at: string): this {
    this.record(event, streams.account(ACCOUNT), BigInt(this.position), at);
    return this;
  }

  private pool(productId: string, event: SeatPoolEvent, at: string): this {
    let pool = this.pools.get(productId);
    if (!pool) this.pools.set(productId, (pool = { state: initialSeatPoolState(), revision: -1n }));
    const [leveled] = withSeatLevels(pool.state, [event], at);
    evolveSeatPool(pool.state, leveled);
    pool.revision += 1n;
    this.record(leveled, streams.seatPool(ACCOUNT, productId), pool.revision, at);
    return this;
  }

  private record(event: DomainEvent, streamId: string, revision: bigint, at: string): void {
    this.position += 1n;
    const metadata = { actor: 'tester', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 1, occurredAt: at, hash: 'h' };
    this.pending.push({ eventId: `e-${this.position}`, streamId, revision, position: this.position, recordedAt: new Date(at), metadata, ...event });
  }
}
