import { assertCanRead, canRead } from './access';
import type { Viewer } from './viewer';

const user = (roles: Viewer extends infer V ? (V extends { roles: infer R } ? R : never) : never, active = true, accountId = 'a1'): Viewer => ({
  kind: 'user',
  sub: 's',
  userId: 'u',
  accountId,
  roles,
  active,
});

describe('read authorization', () => {
  it('lets the operator read every account', () => {
    expect(canRead({ kind: 'operator', sub: 'op' }, 'any', 'manager')).toBe(true);
  });

  it('lets any active member read member scope of their own account only', () => {
    expect(canRead(user([]), 'a1', 'member')).toBe(true);
    expect(canRead(user([]), 'a2', 'member')).toBe(false);
    expect(canRead(user([]), 'a1', 'manager')).toBe(false);
  });

  it.each(['ACCOUNT_ADMINISTRATOR', 'CO_ADMINISTRATOR', 'AUDITOR'] as const)('lets %s read everything of the account', (role) => {
    expect(canRead(user([role]), 'a1', 'manager')).toBe(true);
    expect(canRead(user([role]), 'a2', 'manager')).toBe(false);
  });

  it('does not let SOFTWARE_DOWNLOAD alone read manager scope', () => {
    expect(canRead(user(['SOFTWARE_DOWNLOAD']), 'a1', 'manager')).toBe(false);
  });

  it('answers USER_DEACTIVATED to a deactivated member and FORBIDDEN to others', () => {
    expect(() => assertCanRead(user(['ACCOUNT_ADMINISTRATOR'], false), 'a1', 'member')).toThrow(expect.objectContaining({ code: 'USER_DEACTIVATED' }));
    expect(() => assertCanRead(user(['ACCOUNT_ADMINISTRATOR']), 'a2', 'member')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => assertCanRead({ kind: 'unregistered', sub: 'x' }, 'a1', 'member')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
