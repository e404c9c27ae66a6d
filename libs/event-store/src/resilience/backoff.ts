/**
 * Capped exponential back-off with jitter, and a wait that close() can cut short.
 *
 * Hand-written (a dozen lines) rather than p-retry / exponential-backoff: those retry a
 * promise-returning function, but a subscription resumes from a cursor that moves
 * between failures, reports every retry, resets after the source answers again, and must
 * stop waiting the moment it is closed.
 */
export interface BackoffOptions {
  /** First delay; default 100 ms. */
  initialMs?: number;
  /** Longest delay; default 5000 ms. */
  maxMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialMs: 100, maxMs: 5000 };

/** Delay before retry `attempt` (1-based): doubling from initialMs up to maxMs, the upper half randomised ("equal jitter"). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const max = Math.max(initial, options.maxMs ?? DEFAULT_BACKOFF.maxMs);
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** A timer that interrupt() resolves early (close() of a subscription waiting to retry). */
export class InterruptibleWait {
  private wake?: () => void;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  interrupt(): void {
    this.wake?.();
  }
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
