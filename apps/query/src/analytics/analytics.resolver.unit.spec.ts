import type { Viewer } from '../auth/viewer';
import { Interval, UsageDimension } from '../graphql/types';
import type { QueryContext } from '../shared/query-context';
import { AnalyticsResolver } from './analytics.resolver';

const user = (accountId: string, roles: Extract<Viewer, { kind: 'user' }>['roles']): Viewer => ({
  kind: 'user',
  sub: 's',
  userId: 'u1',
  accountId,
  roles,
  active: true,
});
const ctx = (viewer: Viewer): QueryContext => ({ viewer: async () => viewer });

describe('analytics authorization', () => {
  const queries = { usageReport: jest.fn(async () => []), concurrency: jest.fn(async () => []), termLicenseUsage: jest.fn(async () => []) };
  const resolver = new AnalyticsResolver(queries);
  const calls = (viewer: Viewer) => [
    resolver.usageReport('a1', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', [UsageDimension.PRODUCT], null, null, null, ctx(viewer)),
    resolver.concurrency('a1', 'P', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', Interval.DAY, ctx(viewer)),
    resolver.termLicenseUsage('a1', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', ctx(viewer)),
  ];

  it.each([
    ['an auditor', user('a1', ['AUDITOR'])],
    ['a co-administrator', user('a1', ['CO_ADMINISTRATOR'])],
    ['an account administrator', user('a1', ['ACCOUNT_ADMINISTRATOR'])],
    ['the operator', { kind: 'operator', sub: 'op' } as Viewer],
  ])('lets %s read the reports', async (_who, viewer) => {
    await expect(Promise.all(calls(viewer))).resolves.toEqual([[], [], []]);
  });

  it.each([
    ['a plain user of the account', user('a1', ['SOFTWARE_DOWNLOAD'])],
    ['an administrator of another account', user('a2', ['ACCOUNT_ADMINISTRATOR'])],
    ['an unregistered principal', { kind: 'unregistered', sub: 'x' } as Viewer],
  ])('refuses %s with FORBIDDEN before reading anything', async (_who, viewer) => {
    queries.usageReport.mockClear();
    for (const call of calls(viewer)) await expect(call).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(queries.usageReport).not.toHaveBeenCalled();
  });
});
