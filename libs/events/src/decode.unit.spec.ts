import { decodeEvent } from './decode';

const v1UsageStarted = {
  accountId: 'a1',
  sessionId: 's1',
  userId: 'u1',
  productId: 'MSTN',
  machineId: 'm1',
  termLicenseUsage: false,
  startedAt: '2025-03-01T10:00:00.000Z',
};

describe('decodeEvent', () => {
  it('decodes a current event as the typed DomainEvent, keeping fields the catalogue does not know', () => {
    const data = { accountId: 'a1', userId: 'u1', role: 'AUDITOR', addedLater: 1 };
    expect(decodeEvent('RoleGranted', 1, data)).toEqual({ ok: true, event: { type: 'RoleGranted', data } });
  });

  it('upcasts older schema versions (a missing version is v1)', () => {
    const expected = { ok: true, event: { type: 'UsageStarted', data: { ...v1UsageStarted, productVersion: null, country: '' } } };
    expect(decodeEvent('UsageStarted', 1, { ...v1UsageStarted })).toEqual(expected);
    expect(decodeEvent('UsageStarted', undefined, { ...v1UsageStarted })).toEqual(expected);
  });

  it('accepts optional fields absent or present with their type', () => {
    const ended = { accountId: 'a1', sessionId: 's1', userId: 'u1', productId: 'p', endedAt: '2025-03-01T11:00:00.000Z' };
    expect(decodeEvent('UsageEnded', 1, ended).ok).toBe(true);
    expect(decodeEvent('UsageEnded', 1, { ...ended, seatsInUse: 0, startedAt: null, machineId: 'm' }).ok).toBe(true);
    expect(decodeEvent('UsageEnded', 1, { ...ended, startedAt: '2025-03-01T10:00:00.000Z', machineId: 'm', country: 'DE' })).toEqual({
      ok: true,
      event: { type: 'UsageEnded', data: { ...ended, startedAt: '2025-03-01T10:00:00.000Z', machineId: 'm', country: 'DE' } },
    });
    const timedOut = {
      accountId: 'a1',
      sessionId: 's1',
      userId: 'u1',
      productId: 'p',
      lastHeartbeatAt: '2025-03-01T11:00:00.000Z',
      timedOutAt: '2025-03-01T11:15:00.000Z',
    };
    expect(decodeEvent('UsageTimedOut', 1, { ...timedOut, machineId: 'm' }).ok).toBe(true);
    expect(decodeEvent('UsageTimedOut', 1, { ...timedOut, country: null }).ok).toBe(true);
    expect(decodeEvent('UsageTimedOut', 1, { ...timedOut, country: 'FR' }).ok).toBe(true);
    expect(decodeEvent('UsageTimedOut', 1, { ...timedOut, country: 49 })).toEqual({ ok: false, problem: 'UsageTimedOut data does not decode: country' });
    expect(decodeEvent('UsageEnded', 1, { ...ended, seatsInUse: '0' })).toEqual({ ok: false, problem: 'UsageEnded data does not decode: seatsInUse' });
  });

  it('names what does not decode: an unknown type, a newer schema, data that is not an object, missing or mistyped fields', () => {
    expect(decodeEvent('SomethingNew', 1, {})).toEqual({ ok: false, problem: 'unknown event type "SomethingNew"' });
    expect(decodeEvent('UsageStarted', 3, {})).toEqual({ ok: false, problem: "UsageStarted schema version 3 is newer than this service's 2" });
    expect(decodeEvent('UserDeactivated', 1, 'x')).toEqual({ ok: false, problem: 'UserDeactivated data is not an object' });
    expect(decodeEvent('UserDeactivated', 1, [])).toEqual({ ok: false, problem: 'UserDeactivated data is not an object' });
    expect(decodeEvent('UserDeactivated', 1, { accountId: 'a1' })).toEqual({ ok: false, problem: 'UserDeactivated data does not decode: userId' });
    expect(decodeEvent('RoleGranted', 1, { accountId: 'a1', userId: 'u1', role: 'KING' })).toEqual({
      ok: false,
      problem: 'RoleGranted data does not decode: role',
    });
    expect(decodeEvent('GroupCreated', 1, { accountId: 'a1', groupId: 'g', name: 'n', productIds: ['a', 2] })).toMatchObject({ ok: false });
  });

  it('does not change the stored data', () => {
    const stored = { ...v1UsageStarted };
    decodeEvent('UsageStarted', 1, stored);
    expect(stored).toEqual(v1UsageStarted);
  });

  it('decodes the onboarding events and checks their fields', () => {
    const good = {
      AccountDomainsSet: { accountId: 'a1', domains: ['acme.example'], autoApprove: true },
      RegistrationRequested: {
        accountId: 'a1',
        requestId: 'r1',
        email: 'pat@acme.example',
        displayName: 'Pat',
        country: 'DE',
        requestedAt: '2026-01-01T00:00:00Z',
      },
      RegistrationApproved: { accountId: 'a1', requestId: 'r1', userId: 'u1', decidedBy: null, decidedByName: null, decidedAt: '2026-01-01T00:00:00Z' },
      RegistrationRejected: { accountId: 'a1', requestId: 'r1', reason: null, decidedBy: 'u2', decidedByName: 'Ann', decidedAt: '2026-01-01T00:00:00Z' },
      DomainClaimed: { domain: 'acme.example', accountId: 'a1' },
      DomainReleased: { domain: 'acme.example', accountId: 'a1' },
    };
    for (const [type, data] of Object.entries(good)) expect([type, decodeEvent(type, 1, data).ok]).toEqual([type, true]);
    expect(decodeEvent('AccountDomainsSet', 1, { accountId: 'a1', domains: 'acme.example', autoApprove: 'yes' })).toEqual({
      ok: false,
      problem: 'AccountDomainsSet data does not decode: domains, autoApprove',
    });
    expect(decodeEvent('RegistrationRejected', 1, { ...good.RegistrationRejected, decidedBy: null }).ok).toBe(false);
  });

  it('reads UserRegistered and EmailReserved with or without the request they came from', () => {
    const user = { accountId: 'a1', userId: 'u1', email: 'a@b.example', displayName: 'A', country: 'DE', registeredAt: '2026-01-01T00:00:00Z' };
    expect(decodeEvent('UserRegistered', 1, user).ok).toBe(true);
    expect(decodeEvent('UserRegistered', 1, { ...user, requestId: 'r1' }).ok).toBe(true);
    expect(decodeEvent('UserRegistered', 1, { ...user, requestId: 7 }).ok).toBe(false);
    expect(decodeEvent('EmailReserved', 1, { email: 'a@b.example', accountId: 'a1', userId: 'u1', requestId: 'r1' }).ok).toBe(true);
  });
});
