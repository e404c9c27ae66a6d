import { chainHash, firstBrokenLink, type ChainLink } from './hash-chain';

/** Builds a stream whose metadata.hash chain is computed the way the command app appends. */
function chained(events: { type: string; data: Record<string, unknown> }[]): ChainLink[] {
  let previous = '';
  return events.map((event, index) => {
    const base = {
      actor: 'tester',
      commandId: `c${index}`,
      correlationId: 'corr',
      causationId: 'cause',
      schemaVersion: 1,
      occurredAt: `2025-01-0${index + 1}T00:00:00.000Z`,
    };
    const hash = chainHash(previous, event.type, event.data, base);
    previous = hash;
    return { type: event.type, data: event.data, metadata: { ...base, hash } };
  });
}

const stream = () =>
  chained([
    { type: 'AccountOpened', data: { accountId: 'a1', name: 'Acme', entitlementCountry: 'US', openedAt: '2025-01-01T00:00:00.000Z' } },
    {
      type: 'UserRegistered',
      data: { accountId: 'a1', userId: 'u1', email: 'a@acme.test', displayName: 'A', country: 'US', registeredAt: '2025-01-02T00:00:00.000Z' },
    },
    { type: 'RoleGranted', data: { accountId: 'a1', userId: 'u1', role: 'AUDITOR' } },
    { type: 'RoleRevoked', data: { accountId: 'a1', userId: 'u1', role: 'AUDITOR' } },
  ]);

describe('hash chain', () => {
  it('is SHA-256 hex, chained over the previous hash, independent of key order and of the stored hash field', () => {
    const h = chainHash('', 'T', { b: 1, a: 2 }, { actor: 'x', occurredAt: 't' });
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash('', 'T', { a: 2, b: 1 }, { occurredAt: 't', actor: 'x', hash: 'ignored' })).toBe(h);
    expect(chainHash('prev', 'T', { b: 1, a: 2 }, { actor: 'x', occurredAt: 't' })).not.toBe(h);
  });

  it('verifies an intact stream', () => {
    expect(firstBrokenLink(stream())).toBe(-1);
    expect(firstBrokenLink([])).toBe(-1);
  });

  it("editing one event's data breaks exactly that link", () => {
    const events = stream();
    events[2] = { ...events[2], data: { ...(events[2].data as object), role: 'ACCOUNT_ADMINISTRATOR' } };
    expect(firstBrokenLink(events)).toBe(2);
  });

  it('editing metadata, type, or reordering events breaks the chain too', () => {
    const meta = stream();
    meta[1] = { ...meta[1], metadata: { ...meta[1].metadata, actor: 'someone-else' } };
    expect(firstBrokenLink(meta)).toBe(1);
    const type = stream();
    type[3] = { ...type[3], type: 'RoleGranted' };
    expect(firstBrokenLink(type)).toBe(3);
    const swapped = stream();
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    expect(firstBrokenLink(swapped)).toBe(1);
  });

  it('removing an event breaks the link after the gap', () => {
    const events = stream();
    events.splice(1, 1);
    expect(firstBrokenLink(events)).toBe(1);
  });

  it("checks a stream page by page from the previous page's last hash", () => {
    const events = stream();
    expect(firstBrokenLink(events.slice(2), String(events[1].metadata.hash))).toBe(-1);
    expect(firstBrokenLink(events.slice(2))).toBe(0);
  });
});
