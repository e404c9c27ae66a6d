import { randomUUID } from 'node:crypto';
import { gql, ok } from '../../support/graphql-client';
import { fullHistory, globalLog, type RecordedEvent } from '../../support/event-log';
import { M, openAccount, Q, registerUser, uniqueEmail, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

describe('history: eventHistory replays every event of the account, in order, with metadata', () => {
  let stack: SesStack;
  let operator: string;
  let a: OpenedAccount;
  let other: OpenedAccount;
  let auditor: RegisteredUser;
  let coAdmin: RegisteredUser;
  let plain: RegisteredUser;
  let downloader: RegisteredUser;
  let events: RecordedEvent[];
  const commandIds = { open: randomUUID(), grant: randomUUID(), register: randomUUID() };
  const correlationId = `corr-${randomUUID()}`;
  let openedWith: { accountId: string; fulfillmentContactUserId: string; position: string };
  let contactEmail: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    operator = await stack.operatorToken();
    contactEmail = uniqueEmail('contact');
    // The client's correlation id travels with the command.
    const opened = await gql(
      stack.command.url,
      operator,
      M.openAccount,
      {
        input: {
          commandId: commandIds.open,
          name: 'History Inc',
          entitlementCountry: 'NL',
          fulfillmentContact: { email: contactEmail, displayName: 'Contact' },
        },
      },
      { 'x-correlation-id': correlationId },
    );
    expect(opened.errors).toBeUndefined();
    openedWith = opened.data!.openAccount;
    const adminToken = await stack.userToken(contactEmail);
    a = {
      accountId: openedWith.accountId,
      adminUserId: openedWith.fulfillmentContactUserId,
      adminEmail: contactEmail,
      adminToken,
      position: openedWith.position,
    };
    other = await openAccount(stack, 'Other Ltd');
    await ok(
      stack.mutate(operator, M.grantEntitlement, {
        input: {
          commandId: commandIds.grant,
          accountId: a.accountId,
          productId: 'synchro',
          productName: 'Synchro',
          seats: 4,
          startsAt: '2026-01-01T00:00:00Z',
          endsAt: '2099-01-01T00:00:00Z',
        },
      }),
    );
    await ok(
      stack.mutate(a.adminToken, M.registerUser, {
        input: { commandId: commandIds.register, accountId: a.accountId, email: uniqueEmail('registered'), displayName: 'Reg' },
      }),
    );
    auditor = await registerUser(stack, a.adminToken, a.accountId, { roles: ['AUDITOR'] });
    coAdmin = await registerUser(stack, a.adminToken, a.accountId, { roles: ['CO_ADMINISTRATOR'] });
    plain = await registerUser(stack, a.adminToken, a.accountId);
    downloader = await registerUser(stack, a.adminToken, a.accountId, { roles: ['SOFTWARE_DOWNLOAD'] });
    await registerUser(stack, other.adminToken, other.accountId, { roles: ['AUDITOR'] });
    events = await fullHistory(stack, a.accountId);
  }, 60_000);
  afterAll(() => stack?.stop());

  it("returns the account's events oldest first, with the contract's data and metadata", () => {
    expect(events.map((e) => e.type)).toEqual([
      'AccountOpened',
      'UserRegistered',
      'RoleGranted',
      'RoleGranted',
      'EntitlementGranted',
      'UserRegistered',
      'UserRegistered',
      'RoleGranted',
      'UserRegistered',
      'RoleGranted',
      'UserRegistered',
      'UserRegistered',
      'RoleGranted',
    ]);
    const positions = events.map((e) => BigInt(e.position));
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
    for (const e of events) {
      expect(e.data.accountId).toBe(a.accountId);
      expect(new Date(e.occurredAt).toISOString()).toBe(e.occurredAt);
      expect(e.metadata).toMatchObject({
        actor: expect.any(String),
        commandId: expect.any(String),
        correlationId: expect.any(String),
        causationId: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    // Revisions count up per stream from 0.
    const revisions = new Map<string, number>();
    for (const e of events) {
      const expected = revisions.get(e.streamId) ?? 0;
      expect(e.revision).toBe(expected);
      revisions.set(e.streamId, expected + 1);
    }
    expect(new Set(events.map((e) => e.metadata.hash)).size).toBe(events.length);
    // The mutation's position is the position of its last event.
    expect(events[3].position).toBe(openedWith.position);

    const [opened, contact, adminRole, downloadRole, entitlement] = events;
    expect(opened.data).toMatchObject({ accountId: a.accountId, name: 'History Inc', entitlementCountry: 'NL' });
    expect(contact.data).toMatchObject({ accountId: a.accountId, userId: a.adminUserId, email: contactEmail, displayName: 'Contact', country: 'NL' });
    expect([adminRole.data, downloadRole.data]).toEqual([
      expect.objectContaining({ accountId: a.accountId, userId: a.adminUserId, role: 'ACCOUNT_ADMINISTRATOR' }),
      expect.objectContaining({ accountId: a.accountId, userId: a.adminUserId, role: 'SOFTWARE_DOWNLOAD' }),
    ]);
    expect(entitlement.data).toMatchObject({
      accountId: a.accountId,
      entitlementId: expect.any(String),
      productId: 'synchro',
      productName: 'Synchro',
      seats: 4,
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2099-01-01T00:00:00.000Z',
      country: 'NL',
      offlineDays: 7,
      checkoutAllowed: true,
      maxCheckoutDays: 30,
    });
  });

  it("records who did it (the token's sub) and the command and correlation ids", () => {
    for (const e of events.slice(0, 4)) {
      expect(e.metadata).toMatchObject({ actor: 'operator-backoffice', commandId: commandIds.open, correlationId });
    }
    expect(events[4].metadata).toMatchObject({ actor: 'operator-backoffice', commandId: commandIds.grant });
    expect(events[5].metadata).toMatchObject({ actor: `sub-${a.adminEmail}`, commandId: commandIds.register });
    for (const e of events.slice(5)) expect(e.metadata.actor).toBe(`sub-${a.adminEmail}`);
    // Commands without a client commandId still get one each; one command's events share it.
    const byCommand = new Map<string, string[]>();
    for (const e of events) byCommand.set(e.metadata.commandId, [...(byCommand.get(e.metadata.commandId) ?? []), e.type]);
    expect(byCommand.size).toBe(10);
    expect(events[4].metadata.correlationId).not.toBe(correlationId);
  });

  it("never mixes in another account's events", async () => {
    const others = await fullHistory(stack, other.accountId);
    expect(others.map((e) => e.type)).toEqual(['AccountOpened', 'UserRegistered', 'RoleGranted', 'RoleGranted', 'UserRegistered', 'RoleGranted']);
    for (const e of others) expect(e.data.accountId).toBe(other.accountId);
    const mine = new Set(events.map((e) => e.position));
    for (const e of others) expect(mine.has(e.position)).toBe(false);
  });

  it('pages with first/after/nextCursor: every event exactly once, for any page size', async () => {
    const { head } = globalLog(stack);
    for (const size of [1, 2, 3, 5, events.length - 1, events.length, events.length + 1]) {
      const seen: RecordedEvent[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page: { events: RecordedEvent[]; nextCursor: string | null } = (
          await ok(stack.read(operator, Q.history, { id: a.accountId, first: size, after }, head))
        ).eventHistory;
        pages += 1;
        expect(page.events.length).toBeLessThanOrEqual(size);
        seen.push(...page.events);
        if (page.nextCursor === null) break;
        expect(page.events).toHaveLength(size);
        after = page.nextCursor;
        expect(pages).toBeLessThan(100);
      }
      expect(seen).toEqual(events);
      expect(pages).toBe(Math.max(1, Math.ceil(events.length / size)));
    }
  });

  it('filters by types, also across pages', async () => {
    const { head } = globalLog(stack);
    const roles = (await ok(stack.read(operator, Q.history, { id: a.accountId, types: ['RoleGranted'] }, head))).eventHistory;
    expect(roles.events).toEqual(events.filter((e) => e.type === 'RoleGranted'));
    expect(roles.nextCursor).toBeNull();
    const wanted = ['EntitlementGranted', 'AccountOpened'];
    const seen: RecordedEvent[] = [];
    let after: string | null = null;
    do {
      const page: { events: RecordedEvent[]; nextCursor: string | null } = (
        await ok(stack.read(operator, Q.history, { id: a.accountId, types: wanted, first: 1, after }, head))
      ).eventHistory;
      seen.push(...page.events);
      after = page.nextCursor;
    } while (after !== null);
    expect(seen).toEqual(events.filter((e) => wanted.includes(e.type)));
    expect((await ok(stack.read(operator, Q.history, { id: a.accountId, types: ['NoSuchEvent'] }, head))).eventHistory).toEqual({
      events: [],
      nextCursor: null,
    });
  });

  it('lets an AUDITOR and a CO_ADMINISTRATOR of the account read it, exactly as the operator does', async () => {
    expect(await fullHistory(stack, a.accountId, auditor.token)).toEqual(events);
    expect(await fullHistory(stack, a.accountId, coAdmin.token)).toEqual(events);
    expect(await fullHistory(stack, a.accountId, a.adminToken)).toEqual(events);
    // ...page by page too.
    const paged: RecordedEvent[] = [];
    let after: string | null = null;
    do {
      const page: { events: RecordedEvent[]; nextCursor: string | null } = (
        await ok(stack.read(auditor.token, Q.history, { id: a.accountId, first: 4, after }, globalLog(stack).head))
      ).eventHistory;
      paged.push(...page.events);
      after = page.nextCursor;
    } while (after !== null);
    expect(paged).toEqual(events);
  });

  it('refuses a plain user, a SOFTWARE_DOWNLOAD-only user, an unregistered user and no token, with no data', async () => {
    const { head } = globalLog(stack);
    const stranger = await stack.userToken(uniqueEmail('stranger'));
    for (const [token, code] of [
      [plain.token, 'FORBIDDEN'],
      [downloader.token, 'FORBIDDEN'],
      [stranger, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await stack.read(token, Q.history, { id: a.accountId }, head);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.data?.eventHistory ?? null).toBeNull();
    }
  });

  it('answers BAD_USER_INPUT naming the argument for a bad page size or cursor', async () => {
    for (const [variables, field] of [
      [{ first: 0 }, 'first'],
      [{ first: 100_000 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
    ] as const) {
      const res = await stack.read(operator, Q.history, { id: a.accountId, ...variables });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [field] });
    }
  });

  it('keeps pages stable while events are appended between them: each event once, new ones at the end', async () => {
    // An account of its own: the other tests read fixed histories.
    const busy = await openAccount(stack, 'Busy Ltd');
    await registerUser(stack, busy.adminToken, busy.accountId, { roles: ['AUDITOR'] });
    const before = await fullHistory(stack, busy.accountId);
    expect(before).toHaveLength(6);
    const seen: RecordedEvent[] = [];
    let after: string | null = null;
    let head = globalLog(stack).head;
    for (let pages = 0; pages < 100; pages++) {
      const page: { events: RecordedEvent[]; nextCursor: string | null } = (
        await ok(stack.read(operator, Q.history, { id: busy.accountId, first: 2, after }, head))
      ).eventHistory;
      seen.push(...page.events);
      if (page.nextCursor === null) break;
      after = page.nextCursor;
      // Someone appends to the account while the auditor pages through it.
      if (pages < 3) head = (await registerUser(stack, busy.adminToken, busy.accountId)).position;
    }
    const positions = seen.map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : 1)));
    expect(new Set(positions).size).toBe(positions.length);
    expect(seen.slice(0, before.length)).toEqual(before);
    expect(seen).toEqual(await fullHistory(stack, busy.accountId));
    expect(seen.length).toBeGreaterThanOrEqual(before.length + 3);
  });
});
