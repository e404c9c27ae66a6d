import { join } from 'node:path';
import Database from 'better-sqlite3';
import { errorCode, ok } from '../../support/graphql-client';
import { M, grantEntitlement, openAccount, registerUser, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

const AS_OF = `query($id: ID!, $at: DateTime!) { accountAsOf(accountId: $id, at: $at) {
  at account { id name entitlements { id status seats seatsInUse } users { id roles status groups { id } } groups { id members { id } } alertRules { id } } } }`;
const VERIFY = `query($id: ID!) { verifyHistory(accountId: $id) { ok eventsChecked firstBrokenPosition } }`;
const HISTORY = `query($id: ID!) { eventHistory(accountId: $id, first: 1000) { events { position streamId type data } } }`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** An instant strictly between what was decided before and what is decided after. */
async function instant(): Promise<string> {
  await pause(25);
  const at = new Date().toISOString();
  await pause(25);
  return at;
}

describe('audit: accountAsOf and verifyHistory over GraphQL', () => {
  let stack: SesStack;
  let account: OpenedAccount;
  let auditor: RegisteredUser;
  let plain: RegisteredUser;
  let other: OpenedAccount;
  let beforeOpening: string;
  let beforeCoAdmin: string;
  let position: string;

  beforeAll(async () => {
    stack = await SesStack.start();
    beforeOpening = await instant();
    account = await openAccount(stack);
    const entitlement = await grantEntitlement(stack, account.accountId, { productId: 'microstation', seats: 3 });
    auditor = await registerUser(stack, account.adminToken, account.accountId, { roles: ['AUDITOR'] });
    plain = await registerUser(stack, account.adminToken, account.accountId);
    await ok(stack.mutate(plain.token, M.startUsage, { input: { productId: 'microstation', machineId: 'ws-1' } }));
    beforeCoAdmin = await instant();
    await ok(stack.mutate(account.adminToken, M.grantRole, { input: { userId: auditor.userId, role: 'CO_ADMINISTRATOR' } }));
    const operator = await stack.operatorToken();
    position = (await ok(stack.mutate(operator, M.revokeEntitlement, { input: { entitlementId: entitlement.entitlementId, reason: 'audit test' } })))
      .revokeEntitlement.position;
    other = await openAccount(stack, 'Other Corp');
    position = other.position;
  }, 60_000);
  afterAll(() => stack?.stop());

  const asOf = (token: string, at: string, id = account.accountId) => stack.read(token, AS_OF, { id, at }, position);

  it('rebuilds the account as it stood: null before opening, roles and status of then', async () => {
    const before = await ok(asOf(auditor.token, beforeOpening));
    expect(before.accountAsOf).toEqual({ at: beforeOpening, account: null });

    const then = (await ok(asOf(auditor.token, beforeCoAdmin))).accountAsOf.account;
    expect(then.users.find((u: { id: string }) => u.id === auditor.userId).roles).toEqual(['AUDITOR']);
    expect(then.entitlements).toEqual([expect.objectContaining({ status: 'ACTIVE', seats: 3, seatsInUse: 1 })]);

    const now = (await ok(asOf(auditor.token, new Date().toISOString()))).accountAsOf.account;
    expect(now.users.find((u: { id: string }) => u.id === auditor.userId).roles.sort()).toEqual(['AUDITOR', 'CO_ADMINISTRATOR']);
    expect(now.entitlements[0].status).toBe('REVOKED');
  });

  it('verifies every stream of the account: as many events as its history', async () => {
    const events = (await ok(stack.read(auditor.token, HISTORY, { id: account.accountId }, position))).eventHistory.events;
    expect(new Set(events.map((e: { streamId: string }) => e.streamId.split('-')[0]))).toEqual(new Set(['account', 'seatpool']));
    expect((await ok(stack.read(auditor.token, VERIFY, { id: account.accountId }, position))).verifyHistory).toEqual({
      ok: true,
      eventsChecked: events.length,
      firstBrokenPosition: null,
    });
    expect((await ok(stack.read(await stack.operatorToken(), VERIFY, { id: account.accountId }, position))).verifyHistory.ok).toBe(true);
  });

  it("refuses a plain user and another account's administrator (FORBIDDEN)", async () => {
    const at = new Date().toISOString();
    for (const token of [plain.token, other.adminToken]) {
      expect(await errorCode(asOf(token, at))).toBe('FORBIDDEN');
      expect(await errorCode(stack.read(token, VERIFY, { id: account.accountId }, position))).toBe('FORBIDDEN');
    }
  });

  it('reports an event edited in the SQLite file while the apps were stopped', async () => {
    // An account of its own to tamper with: the other tests verify and replay theirs.
    const victim = await openAccount(stack, 'Tampered Co');
    await grantEntitlement(stack, victim.accountId, { productId: 'microstation', seats: 1 });
    const victimAuditor = await registerUser(stack, victim.adminToken, victim.accountId, { roles: ['AUDITOR'] });
    const events = (await ok(stack.read(victimAuditor.token, HISTORY, { id: victim.accountId }, victimAuditor.position))).eventHistory.events;
    const target = events.find(
      (e: { type: string; data: { userId?: string; role?: string } }) =>
        e.type === 'RoleGranted' && e.data.userId === victimAuditor.userId && e.data.role === 'AUDITOR',
    );
    await stack.command.stop();
    await stack.query.stop();
    const db = new Database(join(stack.dataDir, 'events.sqlite'));
    try {
      const changed = db.prepare("UPDATE events SET data = json_set(data, '$.role', 'ACCOUNT_ADMINISTRATOR') WHERE position = ?").run(Number(target.position));
      expect(changed.changes).toBe(1);
    } finally {
      db.close();
    }
    await stack.restart();
    const result = (await ok(stack.read(await stack.operatorToken(), VERIFY, { id: victim.accountId }))).verifyHistory;
    expect(result).toEqual({ ok: false, eventsChecked: events.length, firstBrokenPosition: target.position });
    // Accounts nobody edited still verify.
    for (const untouched of [account, other]) {
      expect((await ok(stack.read(await stack.operatorToken(), VERIFY, { id: untouched.accountId }))).verifyHistory.ok).toBe(true);
    }
  }, 60_000);
});
