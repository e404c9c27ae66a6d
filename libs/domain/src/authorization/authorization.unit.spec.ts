import type { Role } from '@ses/events';
import { actingOn, authorize, authorizeFor, isRole, PERMISSIONS, permits, ROLE_PERMISSIONS, type Acting, type Permission } from './authorization';

const member = (roles: Role[], active = true, userId = 'u1'): Acting => actingOn('a1', { accountId: 'a1', userId, roles, active });
const operator = actingOn('a1', 'operator');
const outsider = actingOn('a1', { accountId: 'a2', userId: 'u9', roles: ['ACCOUNT_ADMINISTRATOR'], active: true });
const codeOf = (run: () => void): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'not a DomainError';
  }
};

// The contract's table (README, "Authorization"), one row per permission: which roles of the account may.
const CONTRACT: Record<Permission, Role[] | 'every user' | 'nobody'> = {
  openAccount: 'nobody',
  manageEntitlements: 'nobody',
  manageUsers: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'],
  deactivateAdministrators: ['ACCOUNT_ADMINISTRATOR'],
  manageAdministratorRoles: ['ACCOUNT_ADMINISTRATOR'],
  manageOtherRoles: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'],
  manageGroups: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'],
  manageAlertRules: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'],
  manageWebhooks: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'],
  useOwnLicenses: 'every user',
  manageSeatsOfOthers: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'],
  downloadSoftware: ['SOFTWARE_DOWNLOAD'],
  readOwnAccount: 'every user',
  readAccount: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'AUDITOR'],
  // extension "onboarding"
  manageDomains: ['ACCOUNT_ADMINISTRATOR'],
  decideRegistrations: ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'],
};
const ROLES: Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD', 'AUDITOR'];
const permissions = Object.keys(PERMISSIONS) as Permission[];

describe('who may do what', () => {
  it('covers every permission of the contract table', () => {
    expect(permissions.sort()).toEqual(Object.keys(CONTRACT).sort());
  });

  it.each(permissions)('%s: the operator may; a user of the account by role as the contract says', (permission) => {
    expect(permits(operator, permission)).toBe(true);
    const allowed = CONTRACT[permission];
    for (const role of ROLES) {
      const expected = allowed === 'every user' || (allowed !== 'nobody' && allowed.includes(role));
      expect([role, permits(member([role]), permission)]).toEqual([role, expected]);
    }
    expect(permits(member([]), permission)).toBe(allowed === 'every user');
  });

  it.each(permissions)('%s: never an outsider, nor a deactivated user whatever their roles', (permission) => {
    expect(permits(outsider, permission)).toBe(false);
    expect(permits(actingOn('a1', null), permission)).toBe(false);
    expect(permits(member(ROLES, false), permission)).toBe(false);
  });
});

describe('authorize', () => {
  it('answers FORBIDDEN to an outsider, USER_DEACTIVATED to a deactivated user of the account, FORBIDDEN without the permission', () => {
    expect(codeOf(() => authorize(outsider, 'readOwnAccount'))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(member(['ACCOUNT_ADMINISTRATOR'], false), 'readOwnAccount'))).toBe('USER_DEACTIVATED');
    expect(codeOf(() => authorize(member(['AUDITOR'], false), 'manageEntitlements'))).toBe('USER_DEACTIVATED');
    expect(codeOf(() => authorize(member(['SOFTWARE_DOWNLOAD']), 'readAccount'))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(member(['AUDITOR']), 'readAccount'))).toBeNull();
    expect(codeOf(() => authorize(operator, 'openAccount'))).toBeNull();
  });

  it('lets users act on what they hold themselves, administrators and the operator on what others hold', () => {
    expect(codeOf(() => authorizeFor(member([], true, 'u1'), 'u1'))).toBeNull();
    expect(codeOf(() => authorizeFor(member([], true, 'u1'), 'u2'))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeFor(member(['AUDITOR'], true, 'u1'), 'u2'))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeFor(member(['CO_ADMINISTRATOR'], true, 'u1'), 'u2'))).toBeNull();
    expect(codeOf(() => authorizeFor(operator, 'u2'))).toBeNull();
    expect(codeOf(() => authorizeFor(member([], false, 'u1'), 'u1'))).toBe('USER_DEACTIVATED');
    expect(codeOf(() => authorizeFor(outsider, 'u9'))).toBe('FORBIDDEN');
  });
});

describe('roles', () => {
  it('administrator roles are managed by ACCOUNT_ADMINISTRATOR only, the others by both administrators', () => {
    expect(ROLE_PERMISSIONS).toEqual({
      ACCOUNT_ADMINISTRATOR: 'manageAdministratorRoles',
      CO_ADMINISTRATOR: 'manageAdministratorRoles',
      SOFTWARE_DOWNLOAD: 'manageOtherRoles',
      AUDITOR: 'manageOtherRoles',
    });
  });

  it('knows the four roles and nothing else', () => {
    expect(ROLES.every(isRole)).toBe(true);
    expect(isRole('KING')).toBe(false);
    expect(isRole('constructor')).toBe(false);
  });
});
