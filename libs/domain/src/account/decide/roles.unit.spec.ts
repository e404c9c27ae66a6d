import type { Role } from '@ses/events';
import type { Actor } from '../../shared/actor';
import type { GrantRole, RevokeRole } from '../account.commands';
import {
  ADMIN,
  CO_ADMIN,
  NOW,
  PLAIN,
  admin,
  coAdmin,
  deactivated,
  given,
  operator,
  plain,
  roleGranted,
  roleRevoked,
  standardAccount,
} from '../testing/fixtures';

const grant = (userId: string, role: Role, actor: Actor = admin): GrantRole => ({ type: 'GrantRole', actor, now: NOW, userId, role });
const revoke = (userId: string, role: Role, actor: Actor = admin): RevokeRole => ({ type: 'RevokeRole', actor, now: NOW, userId, role });
const granted = (userId: string, role: Role) => [roleGranted(userId, role)];
const revoked = (userId: string, role: Role) => [roleRevoked(userId, role)];

const ALL: Role[] = ['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'SOFTWARE_DOWNLOAD', 'AUDITOR'];

describe('GrantRole', () => {
  it.each(ALL)('the operator and an ACCOUNT_ADMINISTRATOR may grant %s', (role) => {
    const target = role === 'SOFTWARE_DOWNLOAD' ? CO_ADMIN : PLAIN;
    given(standardAccount())
      .when(grant(target, role, operator))
      .then(granted(target, role));
    given(standardAccount())
      .when(grant(target, role, admin))
      .then(granted(target, role));
  });

  it.each(['SOFTWARE_DOWNLOAD', 'AUDITOR'] as Role[])('a CO_ADMINISTRATOR may grant %s', (role) => {
    given(standardAccount())
      .when(grant(CO_ADMIN, role, coAdmin))
      .then(granted(CO_ADMIN, role));
  });

  it.each(['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR'] as Role[])('a CO_ADMINISTRATOR may not grant %s', (role) => {
    given(standardAccount())
      .when(grant(PLAIN, role, coAdmin))
      .thenThrows('FORBIDDEN');
  });

  it('is refused to a user without an administrator role', () => {
    given(standardAccount())
      .when(grant(PLAIN, 'AUDITOR', plain))
      .thenThrows('FORBIDDEN');
  });

  it('grants a held role no second time', () => {
    given(standardAccount()).when(grant(PLAIN, 'SOFTWARE_DOWNLOAD')).then([]);
  });

  it('refuses a deactivated target', () => {
    given([...standardAccount(), deactivated(PLAIN)])
      .when(grant(PLAIN, 'AUDITOR'))
      .thenThrows('USER_DEACTIVATED');
  });

  it('rejects an unknown user', () => {
    given(standardAccount()).when(grant('u-ghost', 'AUDITOR')).thenThrows('NOT_FOUND');
  });

  it('rejects an unknown role', () => {
    given(standardAccount())
      .when(grant(PLAIN, 'OWNER' as Role))
      .thenThrows('BAD_USER_INPUT', ['role']);
  });
});

describe('RevokeRole', () => {
  it('revokes a held role', () => {
    given(standardAccount()).when(revoke(PLAIN, 'SOFTWARE_DOWNLOAD')).then(revoked(PLAIN, 'SOFTWARE_DOWNLOAD'));
  });

  it('revokes an unheld role as a no-op', () => {
    given(standardAccount()).when(revoke(PLAIN, 'AUDITOR')).then([]);
  });

  it('refuses to take ACCOUNT_ADMINISTRATOR from the last active administrator', () => {
    given(standardAccount()).when(revoke(ADMIN, 'ACCOUNT_ADMINISTRATOR')).thenThrows('LAST_ADMINISTRATOR');
    given(standardAccount())
      .when(revoke(ADMIN, 'ACCOUNT_ADMINISTRATOR', operator))
      .thenThrows('LAST_ADMINISTRATOR');
  });

  it('takes ACCOUNT_ADMINISTRATOR while another active administrator remains', () => {
    given([...standardAccount(), roleGranted(PLAIN, 'ACCOUNT_ADMINISTRATOR')])
      .when(revoke(ADMIN, 'ACCOUNT_ADMINISTRATOR'))
      .then(revoked(ADMIN, 'ACCOUNT_ADMINISTRATOR'));
  });

  it('may take ACCOUNT_ADMINISTRATOR from a deactivated administrator', () => {
    given([...standardAccount(), roleGranted(PLAIN, 'ACCOUNT_ADMINISTRATOR'), deactivated(PLAIN)])
      .when(revoke(PLAIN, 'ACCOUNT_ADMINISTRATOR'))
      .then(revoked(PLAIN, 'ACCOUNT_ADMINISTRATOR'));
  });

  it('lets a CO_ADMINISTRATOR revoke SOFTWARE_DOWNLOAD and AUDITOR only', () => {
    given(standardAccount())
      .when(revoke(PLAIN, 'SOFTWARE_DOWNLOAD', coAdmin))
      .then(revoked(PLAIN, 'SOFTWARE_DOWNLOAD'));
    given(standardAccount())
      .when(revoke(CO_ADMIN, 'CO_ADMINISTRATOR', coAdmin))
      .thenThrows('FORBIDDEN');
    given(standardAccount())
      .when(revoke(ADMIN, 'ACCOUNT_ADMINISTRATOR', coAdmin))
      .thenThrows('FORBIDDEN');
  });

  it('rejects an unknown user', () => {
    given(standardAccount()).when(revoke('u-ghost', 'AUDITOR')).thenThrows('NOT_FOUND');
  });
});
