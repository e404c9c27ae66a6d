import type { Actor } from '../shared/actor';
import { checkOutFor, sessionNamedBy } from './subjects';

const user = (accountId: string, userId = 'u1'): Actor => ({ kind: 'user', sub: `sub-${userId}`, userId, accountId });
const operator: Actor = { kind: 'operator', sub: 'op' };
const unregistered: Actor = { kind: 'unregistered', sub: 'x', email: 'x@example.com' };
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('sessionNamedBy: session ids are scoped by account', () => {
  const pools = [
    { accountId: 'a1', productId: 'p' },
    { accountId: 'a2', productId: 'q' },
  ];

  it("finds a user's own account's session among every account's", () => {
    expect(sessionNamedBy(user('a2'), 's1', pools)).toEqual({ accountId: 'a2', productId: 'q' });
  });

  it("treats another account's session exactly as an unused id: NOT_FOUND", () => {
    expect(codeOf(() => sessionNamedBy(user('a3'), 's1', pools))).toBe('NOT_FOUND');
    expect(codeOf(() => sessionNamedBy(user('a3'), 's1', []))).toBe('NOT_FOUND');
  });

  it('lets the operator name a session of any account, unless the id is used in several', () => {
    expect(sessionNamedBy(operator, 's1', [pools[0]])).toEqual(pools[0]);
    expect(codeOf(() => sessionNamedBy(operator, 's1', pools))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => sessionNamedBy(operator, 's1', []))).toBe('NOT_FOUND');
  });

  it('names nothing for a principal without registration', () => {
    expect(codeOf(() => sessionNamedBy(unregistered, 's1', pools))).toBe('NOT_FOUND');
  });
});

describe('checkOutFor', () => {
  it('is the user named, else the caller', () => {
    expect(checkOutFor(user('a1'), 'u2')).toBe('u2');
    expect(checkOutFor(user('a1'), null)).toBe('u1');
    expect(checkOutFor(operator, 'u2')).toBe('u2');
  });

  it('needs a user named by the operator (BAD_USER_INPUT), and refuses a principal without registration', () => {
    expect(codeOf(() => checkOutFor(operator, undefined))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => checkOutFor(unregistered, null))).toBe('FORBIDDEN');
  });
});
