/**
 * Delivery attempts (contract extension "notifications", "Delivery"): a webhook delivery or
 * a mail is attempted at once, then retried after each delay of the schedule in turn
 * (default 5 s, 1 min, 10 min, 1 h, 6 h, 24 h: seven attempts in all); after the last
 * retry fails it is FAILED. A 2xx answer is success; 410 Gone fails it at once and
 * disables the webhook. Anything else (another status, a redirect, which is not followed,
 * no answer within the timeout, a refused address) is a failed attempt.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [5, 60, 600, 3600, 6 * 3600, 24 * 3600];

const MAX_RETRIES = 50;
const MAX_DELAY_SECONDS = 30 * 24 * 3600;

/**
 * SES_WEBHOOK_RETRY_SCHEDULE: comma-separated delays in seconds (fractions allowed, e.g.
 * "0.2,0.2" in tests); unset or blank gives the default; "0" alone is one immediate retry.
 */
export function parseRetrySchedule(text: string | undefined): { ok: true; seconds: number[] } | { ok: false; problem: string } {
  if (text === undefined || text.trim() === '') return { ok: true, seconds: [...DEFAULT_RETRY_SCHEDULE_SECONDS] };
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length > MAX_RETRIES) return { ok: false, problem: `at most ${MAX_RETRIES} retries` };
  const seconds: number[] = [];
  for (const part of parts) {
    const value = /^\d+(\.\d+)?$/.test(part) ? Number(part) : Number.NaN;
    if (!Number.isFinite(value) || value > MAX_DELAY_SECONDS) return { ok: false, problem: `"${part}" is not a number of seconds in 0..${MAX_DELAY_SECONDS}` };
    seconds.push(value);
  }
  return { ok: true, seconds };
}

/** What one attempt came to: an HTTP status (or 250 for mail accepted), or no answer at all. */
export type AttemptResult = { answered: true; status: number } | { answered: false; error: string };

export type DeliveryState =
  | { status: 'DELIVERED' }
  | { status: 'PENDING'; nextAttemptAt: string }
  /** `gone`: the endpoint answered 410, so its webhook is disabled. */
  | { status: 'FAILED'; gone: boolean };

export const isSuccess = (status: number): boolean => status >= 200 && status <= 299;

/**
 * The state of a delivery after its `attemptsMade`-th attempt (1 for the first) ended in
 * `result` at `now` (ISO instant), under `schedule` (delays in seconds).
 */
export function afterAttempt(result: AttemptResult, attemptsMade: number, schedule: readonly number[], now: string): DeliveryState {
  if (result.answered && isSuccess(result.status)) return { status: 'DELIVERED' };
  if (result.answered && result.status === 410) return { status: 'FAILED', gone: true };
  const delay = schedule[attemptsMade - 1];
  if (delay === undefined) return { status: 'FAILED', gone: false };
  return { status: 'PENDING', nextAttemptAt: new Date(Date.parse(now) + Math.round(delay * 1000)).toISOString() };
}
