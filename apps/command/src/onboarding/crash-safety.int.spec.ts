import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountDecider, domainClaimDecider, emailReservationDecider, type Actor, type Decider } from '@ses/domain';
import { SqliteEventStore } from '@ses/event-store';
import { streams, type DomainEvent } from '@ses/events';
import { AccountCommands } from '../application/account-commands';
import { CommandHandling } from '../application/command-handling';
import type { RunContext } from '../application/command-runner';
import { EmailRegistration } from '../application/email-registration';
import { AggregateStore } from '../infrastructure/aggregate-store';
import type { EntityLocator } from '../infrastructure/lookups/lookups';
import { DomainClaims } from './domain-claims';

/**
 * What a crash between two streams leaves (the event store has no multi-stream
 * transaction), written straight into a real SQLite store as a predecessor process would
 * have left it, then met by a fresh process: an orphan is released, a live holder is not.
 */
describe('onboarding across streams after a crash', () => {
  let dir: string;
  let store: SqliteEventStore;
  let seq = 0;
  const now = '2026-11-23T10:00:00.000Z';
  const operator: Actor = { kind: 'operator', sub: 'op' };
  const ctx = (actor: Actor = operator): RunContext => {
    seq += 1;
    return {
      actor,
      actorSub: actor.sub,
      commandId: `c${seq}`,
      correlationId: 'corr',
      causationId: `c${seq}`,
      now,
      seed: `seed-${seq}`,
      newId: (purpose) => `${purpose}-${seq}`,
      recordResult: () => ({}),
    };
  };
  /** Appends events as the predecessor did (raw: no decision), through the same aggregate store. */
  const write = async (streamId: string, events: DomainEvent[]) => {
    const raw: Decider<null, DomainEvent, null> = { initialState: () => null, evolve: () => null, decide: () => events };
    await new CommandHandling(new AggregateStore(store)).handle(raw, streamId, null, ctx());
  };
  /** A fresh process over the store: it starts strictly after everything written so far was recorded (the clock has moved on). */
  const fresh = async () => {
    const written = Date.now();
    while (Date.now() <= written) await new Promise((resolve) => setImmediate(resolve));
    const aggregates = new AggregateStore(store);
    const commands = new CommandHandling(aggregates);
    const accounts = new AccountCommands(commands, aggregates, {} as EntityLocator);
    return {
      aggregates,
      registration: new EmailRegistration(commands, aggregates, accounts, store),
      claims: new DomainClaims(commands, aggregates, accounts, store),
    };
  };
  const opened = (accountId: string): DomainEvent[] => [
    { type: 'AccountOpened', data: { accountId, name: accountId, entitlementCountry: 'DE', openedAt: now } },
    { type: 'AccountDomainsSet', data: { accountId, domains: [`${accountId}.example`], autoApprove: false } },
  ];
  const requested = (accountId: string, requestId: string, email: string): DomainEvent => ({
    type: 'RegistrationRequested',
    data: { accountId, requestId, email, displayName: 'Pat', country: 'DE', requestedAt: now },
  });
  const reserved = (email: string, accountId: string, userId: string, requestId?: string): DomainEvent => ({
    type: 'EmailReserved',
    data: { email, accountId, userId, ...(requestId ? { requestId } : {}) },
  });
  const holderOf = async (p: Awaited<ReturnType<typeof fresh>>, email: string) =>
    (await p.aggregates.load(streams.email(email), emailReservationDecider)).state.reservedBy;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'onboarding-crash-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a rejected request's reservation (crash before its release) is released by the next registration of the email", async () => {
    const email = 'pat@acc-a.example';
    await write(streams.account('acc-a'), [
      ...opened('acc-a'),
      requested('acc-a', 'rq-1', email),
      { type: 'RegistrationRejected', data: { accountId: 'acc-a', requestId: 'rq-1', reason: null, decidedBy: 'u', decidedByName: 'U', decidedAt: now } },
    ]);
    await write(streams.email(email), [reserved(email, 'acc-a', 'u-rq-1', 'rq-1')]);
    const p = await fresh();
    await p.registration.reserve({ email, accountId: 'acc-a', userId: 'u-rq-2', requestId: 'rq-2' }, ctx());
    expect(await holderOf(p, email)).toEqual({ accountId: 'acc-a', userId: 'u-rq-2', requestId: 'rq-2' });
  });

  it("a pending request's reservation is never an orphan, however old: REGISTRATION_PENDING", async () => {
    const email = 'kim@acc-a.example';
    await write(streams.account('acc-a'), [...opened('acc-a'), requested('acc-a', 'rq-1', email)]);
    await write(streams.email(email), [reserved(email, 'acc-a', 'u-rq-1', 'rq-1')]);
    const p = await fresh();
    await expect(p.registration.reserve({ email, accountId: 'acc-b', userId: 'u-b' }, ctx())).rejects.toMatchObject({ code: 'REGISTRATION_PENDING' });
    expect(await holderOf(p, email)).toEqual({ accountId: 'acc-a', userId: 'u-rq-1', requestId: 'rq-1' });
  });

  it('a reservation its account never heard of (crash before the account append) is released once its process is gone', async () => {
    const email = 'lee@acc-a.example';
    await write(streams.account('acc-a'), opened('acc-a'));
    await write(streams.email(email), [reserved(email, 'acc-a', 'u-lost', 'rq-lost')]);
    const p = await fresh();
    await p.registration.reserve({ email, accountId: 'acc-a', userId: 'u-new' }, ctx());
    expect(await holderOf(p, email)).toEqual({ accountId: 'acc-a', userId: 'u-new' });
  });

  it('a registered user keeps the email: EMAIL_ALREADY_REGISTERED', async () => {
    const email = 'max@acc-a.example';
    await write(streams.account('acc-a'), [
      ...opened('acc-a'),
      { type: 'UserRegistered', data: { accountId: 'acc-a', userId: 'u-max', email, displayName: 'Max', country: 'DE', registeredAt: now } },
    ]);
    await write(streams.email(email), [reserved(email, 'acc-a', 'u-max')]);
    await expect((await fresh()).registration.reserve({ email, accountId: 'acc-b', userId: 'u-b' }, ctx())).rejects.toMatchObject({
      code: 'EMAIL_ALREADY_REGISTERED',
    });
  });

  it("a domain claim its account does not list (crash before the account append, or before the dropped domain's release) goes to the next account that claims it", async () => {
    await write(streams.account('acc-a'), opened('acc-a'));
    await write(streams.account('acc-b'), opened('acc-b'));
    await write(streams.domain('shared.example'), [{ type: 'DomainClaimed', data: { domain: 'shared.example', accountId: 'acc-a' } }]);
    const p = await fresh();
    await p.claims.setDomains('acc-b', { type: 'SetAccountDomains', actor: operator, now, domains: ['shared.example'], autoApprove: false }, ctx(), () => ({}));
    expect((await p.aggregates.load(streams.domain('shared.example'), domainClaimDecider)).state.claimedBy).toBe('acc-b');
    expect((await p.aggregates.load(streams.account('acc-b'), accountDecider)).state.domains).toEqual(['shared.example']);
  });

  it('a domain an account lists stays its own: DOMAIN_ALREADY_CLAIMED, and nothing of the refused command is kept', async () => {
    await write(streams.account('acc-a'), opened('acc-a'));
    await write(streams.account('acc-b'), opened('acc-b'));
    await write(streams.domain('acc-a.example'), [{ type: 'DomainClaimed', data: { domain: 'acc-a.example', accountId: 'acc-a' } }]);
    const p = await fresh();
    await expect(
      p.claims.setDomains(
        'acc-b',
        { type: 'SetAccountDomains', actor: operator, now, domains: ['new-b.example', 'acc-a.example'], autoApprove: false },
        ctx(),
        () => ({}),
      ),
    ).rejects.toMatchObject({ code: 'DOMAIN_ALREADY_CLAIMED' });
    // The domain it claimed first was given back; its account is unchanged.
    expect((await p.aggregates.load(streams.domain('new-b.example'), domainClaimDecider)).state.claimedBy).toBeNull();
    expect((await p.aggregates.load(streams.account('acc-b'), accountDecider)).state.domains).toEqual(['acc-b.example']);
  });
});
