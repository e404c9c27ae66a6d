import { commandSeed, deterministicId } from './deterministic-id';

describe('deterministicId', () => {
  it('gives the same UUID-shaped id for the same parts and another for other parts', () => {
    const id = deterministicId('seed', 'account');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId('seed', 'account')).toBe(id);
    expect(deterministicId('seed', 'user')).not.toBe(id);
    expect(deterministicId('se', 'edaccount')).not.toBe(deterministicId('seed', 'account'));
  });
});

describe('commandSeed', () => {
  it('derives the seed from the principal and the client commandId', () => {
    expect(commandSeed('sub-1', 'c-1')).toEqual({ commandId: 'c-1', seed: 'sub-1\u0000c-1', clientSupplied: true });
    expect(commandSeed('sub-2', 'c-1').seed).not.toBe(commandSeed('sub-1', 'c-1').seed);
  });

  it('uses a fresh random commandId when the client sent none', () => {
    const a = commandSeed('sub-1', undefined);
    const b = commandSeed('sub-1', null);
    expect(a.clientSupplied).toBe(false);
    expect(a.commandId).not.toBe(b.commandId);
  });
});
