import { errorCode, ok } from '../../support/graphql-client';
import { M, Q, openAccount, registerUser, uniqueEmail, type OpenedAccount } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { OM, setDomains, uniqueDomain, requested } from './onboarding-support';

interface BulkRow {
  email: string;
  displayName: string;
  country?: string;
  roles?: string[];
  groupIds?: string[];
}

interface BulkResult {
  row: number;
  email: string;
  userId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** registerUsers over GraphQL: independent rows, roles and groups as grantRole / addGroupMember grant them, dry runs, repeats. */
describe('registering many users at once', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  async function withGroup(): Promise<OpenedAccount & { groupId: string; coAdminToken: string }> {
    const account = await openAccount(stack, 'Bulk Org', 'DE');
    const group = (
      await ok(stack.mutate(account.adminToken, M.createGroup, { input: { accountId: account.accountId, name: 'Designers', productIds: ['MSTN'] } }))
    ).createGroup;
    const coAdmin = await registerUser(stack, account.adminToken, account.accountId, { roles: ['CO_ADMINISTRATOR'] });
    return { ...account, groupId: group.groupId, coAdminToken: coAdmin.token };
  }

  /** Every event of the account, oldest first (paged). */
  async function history(account: OpenedAccount, minPosition?: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
    const events: { type: string; data: Record<string, unknown> }[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await ok(stack.read(account.adminToken, Q.history, { id: account.accountId, after, first: 1000 }, minPosition))).eventHistory;
      events.push(...page.events);
      if (!page.nextCursor) return events;
      after = page.nextCursor;
    }
  }

  it('a 2,000-row file with bad rows: exactly the bad rows fail, each with its code; the others are registered with their roles and groups; a repeat returns the first result', async () => {
    const org = await withGroup();
    const elsewhere = await openAccount(stack, 'Elsewhere');
    const foreignGroup = (
      await ok(stack.mutate(elsewhere.adminToken, M.createGroup, { input: { accountId: elsewhere.accountId, name: 'Theirs', productIds: [] } }))
    ).createGroup.groupId;
    const takenInService = await registerUser(stack, elsewhere.adminToken, elsewhere.accountId);
    const domain = uniqueDomain('bulk');
    const rows: BulkRow[] = Array.from({ length: 2000 }, (_, i) => ({
      email: `user${i}@${domain}`,
      displayName: `User ${i}`,
      roles: i % 2 === 0 ? ['SOFTWARE_DOWNLOAD'] : ['AUDITOR', 'SOFTWARE_DOWNLOAD'],
      groupIds: i % 3 === 0 ? [org.groupId] : [],
      ...(i % 10 === 0 ? { country: 'FR' } : {}),
    }));
    const bad: Record<number, string> = {
      17: 'BAD_USER_INPUT', // invalid email
      404: 'EMAIL_ALREADY_REGISTERED', // registered in another account
      1000: 'BAD_USER_INPUT', // the same email as row 3, another case
      1500: 'FORBIDDEN', // a co-administrator may not grant ACCOUNT_ADMINISTRATOR
      1999: 'NOT_FOUND', // a group of another account
    };
    rows[17] = { ...rows[17], email: 'user17-at-nowhere' };
    rows[404] = { ...rows[404], email: takenInService.email.toUpperCase() };
    rows[1000] = { ...rows[1000], email: `USER3@${domain}` };
    rows[1500] = { ...rows[1500], roles: ['SOFTWARE_DOWNLOAD', 'ACCOUNT_ADMINISTRATOR'] };
    rows[1999] = { ...rows[1999], groupIds: [foreignGroup] };

    const input = { accountId: org.accountId, users: rows, commandId: 'bulk-2000' };
    const first = (await ok(stack.mutate(org.coAdminToken, OM.registerUsers, { input }))).registerUsers;
    expect({ registered: first.registered, failed: first.failed }).toEqual({ registered: 1995, failed: 5 });
    const failures = first.results.filter((r: BulkResult) => r.errorCode !== null);
    expect(Object.fromEntries(failures.map((r: BulkResult) => [r.row, r.errorCode]))).toEqual(bad);
    expect(failures.every((r: BulkResult) => r.userId === null && typeof r.errorMessage === 'string')).toBe(true);
    expect(first.results.map((r: BulkResult) => [r.row, r.email])).toEqual(rows.map((r, i) => [i, r.email]));
    const ids = first.results.filter((r: BulkResult) => r.errorCode === null).map((r: BulkResult) => r.userId);
    expect(new Set(ids).size).toBe(1995);

    // The same commandId answers the first result and appends nothing more.
    const repeat = (await ok(stack.mutate(org.coAdminToken, OM.registerUsers, { input }))).registerUsers;
    expect(repeat).toEqual(first);

    // The read side: each registered row as a user with its roles and groups; the failing rows appended nothing.
    const events = await history(org, first.position);
    const registered = events.filter((e) => e.type === 'UserRegistered' && String(e.data.email).endsWith(domain));
    expect(registered).toHaveLength(1995);
    const granted = rows.reduce((sum, r, i) => sum + (i in bad ? 0 : (r.roles?.length ?? 0)), 0);
    expect(events.filter((e) => e.type === 'RoleGranted' && ids.includes(e.data.userId as string))).toHaveLength(granted);
    expect(events.filter((e) => e.type === 'GroupMemberAdded')).toHaveLength(rows.filter((r, i) => r.groupIds?.includes(org.groupId) && !(i in bad)).length);
    const view = await ok(
      stack.read(
        org.adminToken,
        `query($id: ID!) { account(id: $id) { users { id email country roles groups { id } } } }`,
        { id: org.accountId },
        first.position,
      ),
    );
    const byEmail = new Map(view.account.users.map((u: { email: string }) => [u.email, u]));
    expect(byEmail.get(`user0@${domain}`)).toMatchObject({ country: 'FR', roles: ['SOFTWARE_DOWNLOAD'], groups: [{ id: org.groupId }] });
    expect(byEmail.get(`user1@${domain}`)).toMatchObject({ country: 'DE', roles: ['AUDITOR', 'SOFTWARE_DOWNLOAD'], groups: [] });
    for (const row of Object.keys(bad).map(Number)) expect(byEmail.has(rows[row].email)).toBe(false);

    // An email registered by the file is taken for good.
    expect(
      await errorCode(
        stack.mutate(elsewhere.adminToken, M.registerUser, { input: { accountId: elsewhere.accountId, email: `user5@${domain}`, displayName: 'X' } }),
      ),
    ).toBe('EMAIL_ALREADY_REGISTERED');
  });

  it('a dry run reports what would happen and appends nothing', async () => {
    const org = await withGroup();
    const existing = await registerUser(stack, org.adminToken, org.accountId);
    const domain = uniqueDomain('dry');
    await setDomains(stack, org.adminToken, org.accountId, [domain]);
    const waiting = await requested(stack, `waiting@${domain}`);
    const before = await history(org, waiting.position);
    const users: BulkRow[] = [
      { email: `a@${domain}`, displayName: 'A', roles: ['CO_ADMINISTRATOR'], groupIds: [org.groupId] },
      { email: existing.email, displayName: 'Existing' },
      { email: `waiting@${domain}`, displayName: 'Waiting' },
      { email: `b@${domain}`, displayName: '' },
    ];
    const dry = (await ok(stack.mutate(org.adminToken, OM.registerUsers, { input: { accountId: org.accountId, users, dryRun: true } }))).registerUsers;
    expect(dry).toEqual({
      registered: 1,
      failed: 3,
      position: null,
      results: [
        { row: 0, email: users[0].email, userId: null, errorCode: null, errorMessage: null },
        { row: 1, email: existing.email, userId: null, errorCode: 'EMAIL_ALREADY_REGISTERED', errorMessage: expect.any(String) },
        { row: 2, email: users[2].email, userId: null, errorCode: 'REGISTRATION_PENDING', errorMessage: expect.any(String) },
        { row: 3, email: users[3].email, userId: null, errorCode: 'BAD_USER_INPUT', errorMessage: expect.stringMatching(/displayName/) },
      ],
    });
    // Nothing appended: a later mutation's history holds exactly what it appended beyond `before`.
    const marker = (await ok(stack.mutate(org.adminToken, M.createGroup, { input: { accountId: org.accountId, name: 'Marker', productIds: [] } }))).createGroup;
    const after = await history(org, marker.position);
    expect(after.map((e) => e.type)).toEqual([...before.map((e) => e.type), 'GroupCreated']);
    // The rows that would succeed still can.
    const real = (await ok(stack.mutate(org.adminToken, OM.registerUsers, { input: { accountId: org.accountId, users: [users[0]] } }))).registerUsers;
    expect(real).toMatchObject({ registered: 1, failed: 0, results: [{ row: 0, errorCode: null, userId: expect.any(String) }] });
  });

  it('accepts a 10,000-row file as GraphQL variables (a dry run: the request limits, not the work, are what is checked here)', async () => {
    const org = await withGroup();
    const domain = uniqueDomain('big');
    const users: BulkRow[] = Array.from({ length: 10_000 }, (_, i) => ({
      email: `firstname.lastname.${i}@${domain}`,
      displayName: `Firstname Lastname ${i}`,
      country: 'DE',
      roles: ['SOFTWARE_DOWNLOAD', 'AUDITOR'],
      groupIds: [org.groupId],
    }));
    const body = JSON.stringify({ query: OM.registerUsers, variables: { input: { accountId: org.accountId, users, dryRun: true } } });
    expect(body.length).toBeGreaterThan(1024 * 1024); // over the 1 MiB JSON limit of other requests
    const dry = (await ok(stack.mutate(org.adminToken, OM.registerUsers, { input: { accountId: org.accountId, users, dryRun: true } }))).registerUsers;
    expect({ registered: dry.registered, failed: dry.failed, rows: dry.results.length }).toEqual({ registered: 10_000, failed: 0, rows: 10_000 });
    // One row more is refused as a whole.
    const tooMany = await stack.mutate(org.adminToken, OM.registerUsers, { input: { accountId: org.accountId, users: [...users, users[0]], dryRun: true } });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['users'] });
  });

  it('is for administrators and co-administrators of the account only', async () => {
    const org = await withGroup();
    const plain = await registerUser(stack, org.adminToken, org.accountId, { roles: ['AUDITOR'] });
    const input = { accountId: org.accountId, users: [{ email: uniqueEmail(), displayName: 'X' }] };
    expect(await errorCode(stack.mutate(plain.token, OM.registerUsers, { input }))).toBe('FORBIDDEN');
    expect(await errorCode(stack.mutate(await stack.operatorToken(), OM.registerUsers, { input: { ...input, accountId: 'no-such-account' } }))).toBe(
      'NOT_FOUND',
    );
  });
});
