import type { Client } from 'urql';
import { productsOf } from '../app/AccountLayout';
import { quarterOf } from '../lib/time';
import { ACCOUNT_SUMMARY, ALERTS, CONCURRENCY, OVERVIEW_FIGURES, type AccountSummaryData } from './documents';
import { seatsInUseQuery, seatsInUseVariables } from './seats-in-use';

const HOUR_MS = 3_600_000;

/** How far back the Overview looks for recent alerts: the last day, else (fewer than 10) the last week, else the last 30 days. */
export const RECENT_ALERT_DAYS = [1, 7, 30] as const;

/** The Overview's windows: up to the next full hour (stable while the page is open), the quarter so far, 7 days of peaks, recent alerts. */
export function overviewWindow(now: Date) {
  const until = new Date(Math.ceil((now.getTime() + 1) / HOUR_MS) * HOUR_MS);
  const quarter = quarterOf(new Date(until.getTime() - 1));
  return {
    until: until.toISOString(),
    quarter,
    alertsFrom: RECENT_ALERT_DAYS.map((days) => new Date(until.getTime() - days * 24 * HOUR_MS).toISOString()),
    weekFrom: new Date(until.getTime() - 7 * 24 * HOUR_MS).toISOString(),
  };
}

export function overviewFiguresVariables(accountId: string, span: ReturnType<typeof overviewWindow>) {
  return { accountId, quarterFrom: span.quarter.from, now: span.until };
}

export function weekConcurrencyVariables(accountId: string, productId: string, span: ReturnType<typeof overviewWindow>) {
  return { accountId, productId, from: span.weekFrom, to: span.until, interval: 'HOUR' };
}

/**
 * Starts the reads of an account page while the portal is still finding out who is
 * signed in (`me`) and loading the page's code: the page's own identical queries then
 * share these requests (urql deduplicates them) or find their answers in the cache.
 * Authorization is unchanged: the API answers each read as it would the page.
 */
export function prefetchAccountPage(client: Client, accountId: string, page: string | undefined): void {
  const account = client.query<AccountSummaryData>(ACCOUNT_SUMMARY, { id: accountId }).toPromise();
  if (page !== undefined && page !== 'overview') return;
  const span = overviewWindow(new Date());
  void client.query(OVERVIEW_FIGURES, overviewFiguresVariables(accountId, span)).toPromise();
  void client.query(ALERTS, { accountId, from: span.alertsFrom[0] }).toPromise();
  void account.then(({ data }) => {
    if (!data?.account) return;
    const ids = productsOf(data.account).map((p) => p.productId);
    void client.query(seatsInUseQuery(ids), seatsInUseVariables(accountId, ids)).toPromise();
    for (const id of ids) void client.query(CONCURRENCY, weekConcurrencyVariables(accountId, id, span)).toPromise();
  });
}
