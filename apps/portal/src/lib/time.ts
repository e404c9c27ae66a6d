/** Dates in the portal: the service reports in UTC (days are UTC days), so the portal does too. */
const DAY_MS = 86_400_000;

export interface Quarter {
  /** e.g. "2026-Q4" */
  id: string;
  label: string;
  from: string;
  to: string;
}

export function quarterOf(at: Date): Quarter {
  const year = at.getUTCFullYear();
  const index = Math.floor(at.getUTCMonth() / 3);
  const from = new Date(Date.UTC(year, index * 3, 1));
  const to = new Date(Date.UTC(year, index * 3 + 3, 1));
  return { id: `${year}-Q${index + 1}`, label: `Q${index + 1} ${year}`, from: from.toISOString(), to: to.toISOString() };
}

/** The current quarter and the `count - 1` before it, newest first. */
export function recentQuarters(now: Date, count: number): Quarter[] {
  const quarters: Quarter[] = [];
  let at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  for (let i = 0; i < count; i++) {
    const quarter = quarterOf(at);
    quarters.push(quarter);
    at = new Date(Date.parse(quarter.from) - DAY_MS);
  }
  return quarters;
}

/** `YYYY-MM-DD` of a UTC instant. */
export function dayOf(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The UTC start of a `YYYY-MM-DD` day as an ISO instant, or null when the text is no date. */
export function startOfDay(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The UTC end (start of the next day) of a `YYYY-MM-DD` day, for an inclusive "to" date. */
export function endOfDay(day: string): string | null {
  const start = startOfDay(day);
  return start ? new Date(Date.parse(start) + DAY_MS).toISOString() : null;
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** `YYYY-MM-DD HH:mm` UTC (what the tables and CSV files show). */
export function formatInstant(at: string | null | undefined): string {
  if (!at) return '';
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)}`;
}

/** `1 h 05 min`, `3 d 4 h`, `12 min`. */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`;
}

/** How many buckets a concurrency answer for this window and interval holds (the query API allows 10,000). */
export function bucketCount(from: string, to: string, intervalMs: number): number {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  return Math.ceil((toMs - Math.floor(fromMs / intervalMs) * intervalMs) / intervalMs);
}

export const INTERVAL_MS = { TEN_MINUTES: 600_000, HOUR: 3_600_000, DAY: DAY_MS } as const;
export type IntervalName = keyof typeof INTERVAL_MS;

/** A datetime-local input's value (no zone: taken as UTC, as everywhere in the portal) as an ISO instant. */
export function instantFromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
