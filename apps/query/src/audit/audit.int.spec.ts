import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { streams } from '@ses/events';
import { SqliteEventStore } from '@ses/event-store';
import { EmbeddedReadStore } from '@ses/read-store';
import { historyProjection } from '../projections/history.projection';
import { licensingProjection } from '../projections/licensing.projection';
import { ProjectionEngine } from '../projections/projection-engine';
import { COLLECTIONS as C, sessionKey } from '../projections/projection';
import { AccountAsOf } from './account-as-of';
import { AUDIT_PROJECTIONS } from './audit.projections';
import { HistoryVerifier } from './history-verifier';
import { ChainedWriter } from './testing/chained-writer';
import { A1, A2, PRODUCT, writeAuditHistory, type AuditHistory } from './testing/audit-history.fixture';

describe('audit over a real SQLite event store', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: EmbeddedReadStore;
  let engine: ProjectionEngine;
  let history: AuditHistory;
  let verifier: HistoryVerifier;
  let asOf: AccountAsOf;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-int-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
    history = await writeAuditHistory(new ChainedWriter(events));
    readStore = await EmbeddedReadStore.open(join(dir, 'read.sqlite'));
    engine = new ProjectionEngine(events, readStore, [historyProjection, licensingProjection, ...AUDIT_PROJECTIONS], pino({ level: 'silent' }));
    await engine.start();
    await engine.waitFor(await events.headPosition(), 5000);
    verifier = new HistoryVerifier(events, readStore);
    asOf = new AccountAsOf(events);
  });

  afterAll(async () => {
    await engine?.stop();
    await readStore?.close();
    await events?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('verifyHistory', () => {
    it('recomputes every stream of the account and finds the chains intact (the onboarding events of the account stream included, the shared domain-claim streams not)', async () => {
      expect(await verifier.verify(A1)).toEqual({ ok: true, eventsChecked: history.a1Events, firstBrokenPosition: null });
      expect(await verifier.verify(A2)).toEqual({ ok: true, eventsChecked: 3, firstBrokenPosition: null });
    });

    it('finds the seat pools of granted products from the account stream even before the read model lists them', async () => {
      const empty = await EmbeddedReadStore.open(join(dir, 'empty-read.sqlite'));
      try {
        // Without the accountStreams read model only the never-granted product's pool (one event) is missed.
        expect(await new HistoryVerifier(events, empty).verify(A1)).toEqual({ ok: true, eventsChecked: history.a1Events - 1, firstBrokenPosition: null });
      } finally {
        await empty.close();
      }
    });

    it('reports an account that has no events as ok with nothing checked', async () => {
      expect(await verifier.verify('acc-missing')).toEqual({ ok: true, eventsChecked: 0, firstBrokenPosition: null });
    });
  });

  describe('accountAsOf', () => {
    it('is null before the account was opened', async () => {
      expect(await asOf.accountAt(A1, '2025-01-10T08:59:59.999Z')).toBeNull();
      expect(await asOf.accountAt('acc-missing', '2030-01-01T00:00:00.000Z')).toBeNull();
    });

    it('between two role grants: the roles, groups and entitlements of then', async () => {
      const account = await asOf.accountAt(A1, '2025-01-16T00:00:00.000Z', { withSeatsInUse: true });
      expect(account).toMatchObject({ id: A1, name: 'Acme Audit', entitlementCountry: 'US', openedAt: '2025-01-10T09:00:00.000Z' });
      const bob = account!.users.find((u) => u.id === 'u-bob')!;
      expect(bob.roles).toEqual(['AUDITOR']);
      expect(bob.groups.map((g) => g.id)).toEqual(['g-civil']);
      expect(account!.groups.map((g) => [g.id, g.members.map((m) => m.id)])).toEqual([['g-civil', ['u-bob']]]);
      expect(account!.entitlements).toEqual([expect.objectContaining({ id: 'ent-1', status: 'ACTIVE', seats: 5, seatsInUse: 0 })]);
      expect(account!.alertRules).toEqual([]);
    });

    it('after the second grant, with a session open then: seats in use as of then', async () => {
      const account = await asOf.accountAt(A1, '2025-01-21T12:00:00.000Z', { withSeatsInUse: true });
      expect(account!.users.find((u) => u.id === 'u-bob')!.roles).toEqual(['AUDITOR', 'CO_ADMINISTRATOR']);
      expect(account!.entitlements[0]).toMatchObject({ status: 'ACTIVE', seatsInUse: 1 });
      expect((await asOf.accountAt(A1, '2025-01-21T12:00:00.000Z'))!.entitlements[0].seatsInUse).toBe(0);
    });

    it("an instant equal to an event's occurredAt includes that event", async () => {
      const account = await asOf.accountAt(A1, '2025-01-20T09:00:00.000Z');
      expect(account!.users.find((u) => u.id === 'u-bob')!.roles).toEqual(['AUDITOR', 'CO_ADMINISTRATOR']);
    });

    it('after the revocation: REVOKED, and later changes to roles and groups', async () => {
      const revoked = await asOf.accountAt(A1, '2025-02-01T12:00:00.000Z');
      expect(revoked!.entitlements[0].status).toBe('REVOKED');
      expect(revoked!.alertRules).toEqual([{ id: 'r-1', accountId: A1, productId: PRODUCT, thresholdSeats: 4, action: 'NOTIFY', notifyUserIds: ['u-admin'] }]);
      const later = await asOf.accountAt(A1, '2025-03-01T00:00:00.000Z');
      const bob = later!.users.find((u) => u.id === 'u-bob')!;
      expect(bob.roles).toEqual(['CO_ADMINISTRATOR']);
      expect(bob.groups).toEqual([]);
      expect(later!.groups[0].members).toEqual([]);
    });

    it('domains, auto-approval and users who joined by request, as of then', async () => {
      expect(await asOf.accountAt(A1, '2025-02-02T12:00:00.000Z')).toMatchObject({ domains: [], autoApprove: false });
      const asked = await asOf.accountAt(A1, '2025-02-04T12:00:00.000Z');
      expect(asked).toMatchObject({ domains: ['acme.test'], autoApprove: false });
      expect(asked!.users.map((u) => u.id)).not.toContain('u-pat');
      const joined = await asOf.accountAt(A1, '2025-03-01T00:00:00.000Z');
      expect(joined).toMatchObject({ domains: ['acme.test', 'acme-eng.test'], autoApprove: true });
      expect(joined!.users.find((u) => u.id === 'u-pat')).toMatchObject({ email: 'pat@acme.test', roles: [], status: 'ACTIVE' });
    });

    it('status is computed at that instant, not now (PENDING before its start, EXPIRED after its end)', async () => {
      const statusAt = async (at: string) => (await asOf.accountAt(A2, at))!.entitlements.map((e) => e.status);
      expect(await statusAt('2025-02-15T00:00:00.000Z')).toEqual(['PENDING']);
      expect(await statusAt('2025-04-01T00:00:00.000Z')).toEqual(['ACTIVE']);
      expect(await statusAt('2025-06-01T00:00:00.000Z')).toEqual(['EXPIRED']);
      expect((await asOf.accountAt(A2, '2025-06-01T00:00:00.000Z'))!.users.map((u) => u.id)).toEqual(['u-eve']);
    });
  });

  describe('schema evolution', () => {
    it('v1 UsageStarted events are stored as they were and read as v2 by the projection engine', async () => {
      const stored = (await events.readStreamRecords(streams.seatPool(A1, PRODUCT))).find((record) => record.position === history.firstV1UsageStarted)!;
      expect(stored.type).toBe('UsageStarted');
      expect(stored.metadata.schemaVersion).toBe(1);
      expect(stored.data).not.toHaveProperty('productVersion');
      expect(stored.data).not.toHaveProperty('country');
      const read = (await events.readAll({ after: history.firstV1UsageStarted - 1n, maxCount: 1 }))[0];
      expect(read).toMatchObject({ type: 'UsageStarted', data: { productVersion: null, country: '' } });
      const docs = await readStore.find(C.history, { accountId: A1, type: 'UsageStarted' }, { sort: { _id: 1 } });
      expect(docs).toHaveLength(2);
      for (const doc of docs) expect(doc.data).toMatchObject({ productVersion: null, country: '' });
      expect(await readStore.findOne(C.sessions, { _id: sessionKey(A1, 's-2') })).toMatchObject({ productVersion: null, country: '', status: 'ACTIVE' });
    });
  });

  describe('tampering with the SQLite file', () => {
    it('an edited event breaks its link: ok=false at that position', async () => {
      const db = new Database(join(dir, 'events.sqlite'));
      try {
        const row = db.prepare('SELECT data FROM events WHERE position = ?').get(Number(history.coAdminGranted)) as { data: string };
        const forged = { ...JSON.parse(row.data), role: 'ACCOUNT_ADMINISTRATOR' };
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(forged), Number(history.coAdminGranted));
      } finally {
        db.close();
      }
      expect(await verifier.verify(A1)).toEqual({ ok: false, eventsChecked: history.a1Events, firstBrokenPosition: history.coAdminGranted.toString() });
      expect((await verifier.verify(A2)).ok).toBe(true);
    });

    it("reports the smallest broken position over all the account's streams", async () => {
      const db = new Database(join(dir, 'events.sqlite'));
      try {
        db.prepare("UPDATE events SET data = json_set(data, '$.machineId', 'elsewhere') WHERE position = ?").run(Number(history.firstV1UsageStarted));
      } finally {
        db.close();
      }
      expect(history.firstV1UsageStarted).toBeLessThan(history.coAdminGranted);
      expect(await verifier.verify(A1)).toMatchObject({ ok: false, firstBrokenPosition: history.firstV1UsageStarted.toString() });
    });
  });
});
