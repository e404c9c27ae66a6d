import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite/sqlite-event-store';
import { errorCode, ok } from '../../support/graphql-client';
import { M, Q } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

/**
 * A data directory written by the code of main before the command index (its log and
 * signing key, from test/fixtures/pre-index, generated through the API by that code):
 * the first start builds the index from the log, once, and logs it; every answer that
 * depended on the history is the one the old code gave (repeated commandIds, recorded
 * session decisions, ids of past sessions and check-outs); a timer that fell due long
 * ago fires once; the next start does not build again.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'pre-index', 'pre-index-log.json'), 'utf8'));
const f = fixture.facts;

interface FixtureRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

function writeOldDataDirectory(dir: string): void {
  new SqliteEventStore(join(dir, 'events.sqlite')).close().catch(() => undefined);
  const db = new Database(join(dir, 'events.sqlite'));
  const insert = db.prepare('INSERT INTO events (position, event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of fixture.events as FixtureRow[]) insert.run(r.position, r.event_id, r.stream_id, r.revision, r.type, r.data, r.metadata, r.recorded_at);
  })();
  db.close();
  writeFileSync(join(dir, fixture.signingKeyFile), fixture.signingKeyPem, { mode: 0o600 });
}

function typeCounts(dir: string): Record<string, number> {
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT type, COUNT(*) AS count FROM events GROUP BY type').all() as { type: string; count: number }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.count]));
  } finally {
    db.close();
  }
}

async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const BUILDING = 'command index: building it from the log, once';

describe('upgrade: a data directory from before the command index keeps working', () => {
  let dir: string;
  let stack: SesStack;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ses-upgrade-'));
    writeOldDataDirectory(dir);
    stack = await SesStack.start({ SES_DATA_DIR: dir, SES_USAGE_SESSION_TTL_SECONDS: '60', SES_TIMER_INTERVAL_MS: '200' });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const token = (email: string) => stack.userToken(email);
  const sessionsTimedOut = () => typeCounts(dir).UsageTimedOut ?? 0;

  it('builds the command index from the log on the first start, once, and logs it', async () => {
    const building = stack.command.logs.filter((line) => line.includes(BUILDING));
    expect(building).toHaveLength(1);
    const built = stack.command.logs.find((line) => line.includes('command index: built from the log'));
    expect(JSON.parse(built!)).toMatchObject({ events: fixture.events.length, indexedUpTo: String(fixture.events.length) });
  });

  it('answers a repeated commandId with the first answer, however old, and appends nothing', async () => {
    const before = typeCounts(dir);
    const admin = await token(f.adminEmail);
    expect((await ok(stack.mutate(admin, M.registerUser, { input: f.u3.registerInput }))).registerUser).toEqual(f.u3.answer);
    expect(
      (
        await ok(
          stack.mutate(admin, M.createGroup, { input: { accountId: f.accountA, name: 'Fx group', productIds: ['fx-app'], commandId: f.group.commandId } }),
        )
      ).createGroup,
    ).toEqual(f.group.answer);
    const ended = f.endedWithCommandId;
    expect(
      (await ok(stack.mutate(await token(f.u1.email), M.endUsage, { input: { sessionId: ended.sessionId, commandId: ended.commandId } }))).endUsage,
    ).toEqual(ended.answer);
    // The same license, signed again with the data directory's key.
    const checkout = f.activeCheckout;
    expect(
      (await ok(stack.mutate(await token(f.u2.email), M.checkOut, { input: { productId: 'fx-app', machineId: 'pc', days: 7, commandId: checkout.commandId } })))
        .checkOut,
    ).toEqual(checkout.answer);
    const { UsageTimedOut: _timers, ...after } = typeCounts(dir);
    const { UsageTimedOut: _before, ...expected } = before;
    expect(after).toEqual(expected);
  });

  it("answers a repeated start of an old session with its recorded decision, and old ids with NOT_ACTIVE, never NOT_FOUND; another user's with their errors", async () => {
    const u1 = await token(f.u1.email);
    const u2 = await token(f.u2.email);
    const before = typeCounts(dir);
    const again = (await ok(stack.mutate(u1, M.startUsage, { input: { productId: 'fx-app', machineId: 'pc', sessionId: 'fx-s-ended' } }))).startUsage;
    expect(again).toMatchObject({ sessionId: 'fx-s-ended', allowed: true, denyReason: null, termLicenseUsage: false, warnings: [] });
    const denied = (await ok(stack.mutate(u2, M.startUsage, { input: { productId: f.denied.productId, machineId: 'pc', sessionId: f.denied.sessionId } })))
      .startUsage;
    const { position: _position, ...deniedAnswer } = f.denied.answer;
    expect(denied).toMatchObject(deniedAnswer);
    expect(await errorCode(stack.mutate(u2, M.startUsage, { input: { productId: 'fx-app', machineId: 'pc', sessionId: 'fx-s-ended' } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(await errorCode(stack.mutate(u1, M.heartbeatUsage, { input: { sessionId: 'fx-s-ended' } }))).toBe('SESSION_NOT_ACTIVE');
    expect(await errorCode(stack.mutate(u2, M.heartbeatUsage, { input: { sessionId: 'fx-s-ended' } }))).toBe('FORBIDDEN');
    expect(await errorCode(stack.mutate(u1, M.heartbeatUsage, { input: { sessionId: 'never-used' } }))).toBe('NOT_FOUND');
    expect(await errorCode(stack.mutate(await token(f.u3.email), M.checkIn, { input: { checkoutId: f.returnedCheckout } }))).toBe('CHECKOUT_NOT_ACTIVE');
    // The other account's session with the same id is its own.
    expect(await errorCode(stack.mutate(await token(f.v1.email), M.endUsage, { input: { sessionId: 'fx-s-ended' } }))).toBe('SESSION_NOT_ACTIVE');
    const { UsageTimedOut: _timers, ...after } = typeCounts(dir);
    const { UsageTimedOut: _before, ...expected } = before;
    expect(after).toEqual(expected);
  });

  it('finds the account of old ids and the pool of an old active check-out', async () => {
    const admin = await token(f.adminEmail);
    await ok(stack.mutate(admin, M.deactivateUser, { input: { userId: f.u3.userId } }));
    const { checkIn } = await ok(stack.mutate(await token(f.u2.email), M.checkIn, { input: { checkoutId: f.activeCheckout.answer.checkoutId } }));
    expect(checkIn.checkoutId).toBe(f.activeCheckout.answer.checkoutId);
    const history = await ok(
      stack.read(await stack.operatorToken(), Q.history, { id: f.accountA, types: ['UserDeactivated', 'LicenseCheckedIn'] }, checkIn.position),
    );
    expect(history.eventHistory.events.map((e: { type: string }) => e.type)).toEqual(['LicenseCheckedIn', 'UserDeactivated', 'LicenseCheckedIn']);
  });

  it('fires the time-out that fell due long ago once, and the next start does not build the index again', async () => {
    await eventually(
      async () => sessionsTimedOut(),
      (count) => count === 1,
    );
    await stack.restart('command', { SES_DATA_DIR: dir });
    expect(stack.command.logs.filter((line) => line.includes(BUILDING))).toEqual([]);
    const ended = f.endedWithCommandId;
    expect(
      (await ok(stack.mutate(await token(f.u1.email), M.endUsage, { input: { sessionId: ended.sessionId, commandId: ended.commandId } }))).endUsage,
    ).toEqual(ended.answer);
    expect(await errorCode(stack.mutate(await token(f.u1.email), M.heartbeatUsage, { input: { sessionId: f.activeSession } }))).toBe('SESSION_NOT_ACTIVE');
    // Several ticks of the restarted app later (every 200 ms), still one.
    const restartedAt = Date.now();
    await eventually(
      async () => Date.now(),
      (now) => now > restartedAt + 1500,
    );
    expect(sessionsTimedOut()).toBe(1);
  }, 60_000);
});
