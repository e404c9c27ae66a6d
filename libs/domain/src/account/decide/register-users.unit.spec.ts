import type { Role } from '@ses/events';
import type { RegisterUsers, UserRow } from '../account.commands';
import { evolveAccount } from '../account.evolve';
import { initialAccountState } from '../account.state';
import {
  ACCOUNT,
  NOW,
  PLAIN,
  admin,
  coAdmin,
  deactivated,
  domainsSet,
  given,
  groupCreated,
  operator,
  plain,
  requested,
  standardAccount,
  userActor,
} from '../testing/fixtures';
import { planRegisterUsers } from './register-users';

const row = (i: number, over: Partial<UserRow> = {}): UserRow => ({
  row: i,
  userId: `u-new-${i}`,
  email: `new${i}@acme.test`,
  displayName: `New ${i}`,
  ...over,
});
const registerUsers = (rows: UserRow[], over: Partial<RegisterUsers> = {}): RegisterUsers => ({ type: 'RegisterUsers', actor: admin, now: NOW, rows, ...over });
const userRegistered = (i: number, country = 'DE', email = `new${i}@acme.test`) => ({
  type: 'UserRegistered' as const,
  data: { accountId: ACCOUNT, userId: `u-new-${i}`, email, displayName: `New ${i}`, country, registeredAt: NOW },
});
const roleGranted = (i: number, role: Role) => ({ type: 'RoleGranted' as const, data: { accountId: ACCOUNT, userId: `u-new-${i}`, role } });
const joined = (i: number, groupId: string) => ({ type: 'GroupMemberAdded' as const, data: { accountId: ACCOUNT, userId: `u-new-${i}`, groupId } });
const withGroups = () => [...standardAccount(), groupCreated('g-1', ['MSTN']), groupCreated('g-2', ['OPENROADS'])];
const plan = (events = withGroups(), command: RegisterUsers) =>
  planRegisterUsers(
    command,
    events.reduce((s, e) => evolveAccount(s, e), initialAccountState()),
  ).map((o) => (o.ok ? { row: o.row, ok: true } : { row: o.row, code: o.errorCode, message: o.errorMessage }));

describe('RegisterUsers', () => {
  it('registers every row with its roles and groups (each once), in one list of ordinary events', () => {
    given(withGroups())
      .when(
        registerUsers([
          row(0, { roles: ['SOFTWARE_DOWNLOAD', 'AUDITOR', 'SOFTWARE_DOWNLOAD'], groupIds: ['g-1', 'g-2', 'g-1'] }),
          row(1, { country: 'FR', roles: null, groupIds: null }),
        ]),
      )
      .then([userRegistered(0), roleGranted(0, 'SOFTWARE_DOWNLOAD'), roleGranted(0, 'AUDITOR'), joined(0, 'g-1'), joined(0, 'g-2'), userRegistered(1, 'FR')]);
  });

  it('leaves out exactly the bad rows, each refused alone with its code', () => {
    const events = [...withGroups(), domainsSet(['acme.test']), requested('r-1', 'waiting@acme.test')];
    const rows = [
      row(0),
      row(1, { email: 'not-an-email' }),
      row(2, { email: 'U-PLAIN@acme.test' }), // registered in the account
      row(3, { email: 'NEW0@acme.test' }), // the same as row 0, another case
      row(4, { roles: ['CO_ADMINISTRATOR'] }), // a co-administrator may not grant it
      row(5, { groupIds: ['g-elsewhere'] }),
      row(6, { email: 'waiting@acme.test' }), // asked to join
      row(7, { displayName: ' ', country: 'XX' }),
      row(8, { roles: ['AUDITOR'] }),
    ];
    expect(plan(events, registerUsers(rows, { actor: coAdmin }))).toEqual([
      { row: 0, ok: true },
      { row: 1, code: 'BAD_USER_INPUT', message: 'email: not an email address' },
      { row: 2, code: 'EMAIL_ALREADY_REGISTERED', message: 'this email is already registered' },
      { row: 3, code: 'BAD_USER_INPUT', message: 'email: the same email as row 0 of this file' },
      { row: 4, code: 'FORBIDDEN', message: 'you may not grant CO_ADMINISTRATOR' },
      { row: 5, code: 'NOT_FOUND', message: 'group g-elsewhere not found' },
      { row: 6, code: 'REGISTRATION_PENDING', message: expect.stringMatching(/asked to join/) },
      { row: 7, code: 'BAD_USER_INPUT', message: 'displayName: 1..200 characters; country: ISO 3166-1 alpha-2, upper case' },
      { row: 8, ok: true },
    ]);
    given(events)
      .when(registerUsers(rows, { actor: coAdmin }))
      .then([userRegistered(0), userRegistered(8), roleGranted(8, 'AUDITOR')]);
  });

  it('lets an ACCOUNT_ADMINISTRATOR and the operator grant administrator roles, as grantRole does', () => {
    for (const actor of [admin, operator]) {
      given(withGroups())
        .when(registerUsers([row(0, { roles: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'] })], { actor }))
        .then([userRegistered(0), roleGranted(0, 'ACCOUNT_ADMINISTRATOR'), roleGranted(0, 'CO_ADMINISTRATOR')]);
    }
  });

  it('flags every repeat of an email in the file, even when its first row fails', () => {
    expect(plan(withGroups(), registerUsers([row(0, { displayName: '' }), row(1, { email: 'new0@acme.test' }), row(2, { email: 'new0@acme.test' })]))).toEqual([
      { row: 0, code: 'BAD_USER_INPUT', message: 'displayName: 1..200 characters' },
      { row: 1, code: 'BAD_USER_INPUT', message: 'email: the same email as row 0 of this file' },
      { row: 2, code: 'BAD_USER_INPUT', message: 'email: the same email as row 0 of this file' },
    ]);
  });

  it('appends nothing when every row fails (the rows are independent; the command is not refused)', () => {
    given(withGroups())
      .when(registerUsers([row(0, { email: 'u-plain@acme.test' })]))
      .then([]);
  });

  it('takes 1 to 10,000 rows', () => {
    given(withGroups()).when(registerUsers([])).thenThrows('BAD_USER_INPUT', ['users']);
    const many = Array.from({ length: 10_001 }, (_, i) => row(i));
    given(withGroups()).when(registerUsers(many)).thenThrows('BAD_USER_INPUT', ['users']);
    expect(
      given(withGroups())
        .when(registerUsers(many.slice(0, 10_000)))
        .events(),
    ).toHaveLength(10_000);
  });

  it('is refused as a whole to a user without an administrator role, an outsider and a deactivated co-administrator', () => {
    given(withGroups())
      .when(registerUsers([row(0)], { actor: plain }))
      .thenThrows('FORBIDDEN');
    given(withGroups())
      .when(registerUsers([row(0)], { actor: userActor('u-x', 'acc-2') }))
      .thenThrows('FORBIDDEN');
    given([...withGroups(), deactivated('u-co')])
      .when(registerUsers([row(0)], { actor: coAdmin }))
      .thenThrows('USER_DEACTIVATED');
  });

  it('needs an existing account', () => {
    given([])
      .when(registerUsers([row(0)], { actor: operator }))
      .thenThrows('NOT_FOUND');
  });

  it('treats a reused userId as a shell bug', () => {
    given(withGroups())
      .when(registerUsers([row(0, { userId: PLAIN })]))
      .thenFails();
  });
});
