import { SCHEMA_VERSIONS } from './catalogue';
import { upcast } from './upcasters';

const v1UsageStarted = {
  accountId: 'a1',
  sessionId: 's1',
  userId: 'u1',
  productId: 'MSTN',
  machineId: 'm1',
  termLicenseUsage: false,
  startedAt: '2025-03-01T10:00:00.000Z',
};

describe('upcasters', () => {
  it('UsageStarted is at schema version 2', () => {
    expect(SCHEMA_VERSIONS.UsageStarted).toBe(2);
    expect(SCHEMA_VERSIONS.AccountOpened).toBe(1);
  });

  it('reads a v1 UsageStarted stored without productVersion and country as v2 (null, unknown country)', () => {
    const { data, schemaVersion } = upcast('UsageStarted', 1, { ...v1UsageStarted });
    expect(schemaVersion).toBe(2);
    expect(data).toEqual({ ...v1UsageStarted, productVersion: null, country: '' });
  });

  it('treats a missing schema version as v1', () => {
    expect(upcast('UsageStarted', undefined, { ...v1UsageStarted })).toEqual({
      data: { ...v1UsageStarted, productVersion: null, country: '' },
      schemaVersion: 2,
    });
  });

  it('keeps values a v1 event already carried', () => {
    const { data } = upcast('UsageStarted', 1, { ...v1UsageStarted, productVersion: '10.17', country: 'DE' });
    expect(data).toMatchObject({ productVersion: '10.17', country: 'DE' });
  });

  it('does not mutate the stored data', () => {
    const stored = { ...v1UsageStarted };
    upcast('UsageStarted', 1, stored);
    expect(stored).toEqual(v1UsageStarted);
  });

  it('leaves current-version data and other types alone', () => {
    const v2 = { ...v1UsageStarted, productVersion: '2024', country: 'US' };
    expect(upcast('UsageStarted', 2, v2)).toEqual({ data: v2, schemaVersion: 2 });
    const opened = { accountId: 'a1', name: 'Acme', entitlementCountry: 'US', openedAt: '2025-01-01T00:00:00.000Z' };
    expect(upcast('AccountOpened', 1, opened)).toEqual({ data: opened, schemaVersion: 1 });
    expect(upcast('SomethingUnknown', 3, { x: 1 })).toEqual({ data: { x: 1 }, schemaVersion: 3 });
  });
});
