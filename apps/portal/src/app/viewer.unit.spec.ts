import { describe, expect, it } from '@jest/globals';
import { canManageAccount, canManageDomains, canReadAccount, grantableRoles, homePath, type Role, type Viewer } from './viewer';

const user = (roles: Role[], active = true): Viewer => ({ kind: 'user', userId: 'u1', accountId: 'a1', email: 'u@x.y', displayName: 'U', roles, active });

describe('what each viewer may see in the portal (contract authorization)', () => {
  it('gives the operator every account', () => {
    const op: Viewer = { kind: 'operator', sub: 'op' };
    expect(canReadAccount(op, 'any')).toBe(true);
    expect(grantableRoles(op, 'any')).toContain('ACCOUNT_ADMINISTRATOR');
    expect(homePath(op)).toBe('/accounts');
  });

  it('gives administrators and auditors their own account only; auditors read but do not manage', () => {
    expect(canReadAccount(user(['AUDITOR']), 'a1')).toBe(true);
    expect(canManageAccount(user(['AUDITOR']), 'a1')).toBe(false);
    expect(canManageAccount(user(['CO_ADMINISTRATOR']), 'a1')).toBe(true);
    expect(canReadAccount(user(['ACCOUNT_ADMINISTRATOR']), 'a2')).toBe(false);
    expect(canReadAccount(user(['ACCOUNT_ADMINISTRATOR'], false), 'a1')).toBe(false);
  });

  it('lets co-administrators grant only SOFTWARE_DOWNLOAD and AUDITOR', () => {
    expect(grantableRoles(user(['CO_ADMINISTRATOR']), 'a1')).toEqual(['SOFTWARE_DOWNLOAD', 'AUDITOR']);
    expect(grantableRoles(user(['ACCOUNT_ADMINISTRATOR']), 'a1')).toHaveLength(4);
  });

  it('lets only the operator and account administrators set the email domains (not co-administrators)', () => {
    expect(canManageDomains({ kind: 'operator', sub: 'op' }, 'a1')).toBe(true);
    expect(canManageDomains(user(['ACCOUNT_ADMINISTRATOR']), 'a1')).toBe(true);
    expect(canManageDomains(user(['ACCOUNT_ADMINISTRATOR']), 'a2')).toBe(false);
    expect(canManageDomains(user(['CO_ADMINISTRATOR']), 'a1')).toBe(false);
    expect(canManageDomains(user(['ACCOUNT_ADMINISTRATOR'], false), 'a1')).toBe(false);
  });

  it('sends a plain user to their own policy', () => {
    expect(canReadAccount(user(['SOFTWARE_DOWNLOAD']), 'a1')).toBe(false);
    expect(homePath(user(['SOFTWARE_DOWNLOAD']))).toBe('/me');
    expect(homePath(user(['AUDITOR']))).toBe('/a/a1/overview');
  });
});
