/**
 * Runs an async task so that every caller gets a run that STARTED after it called: a
 * caller arriving while a run is in progress waits for the next one, which all such
 * callers share. (Joining the run in progress would be wrong for a catch-up: it may have
 * read the log's end before the caller's event was appended.) Hand-written: a dozen lines
 * with this exact guarantee, which the usual debounce/dedupe helpers do not give.
 *
 * Tickets let one caller ask several times for the same moment: `ticket()` names "now",
 * and `since(ticket)` is satisfied by any run that started after it (one that already
 * finished, the one in progress, or the next), so the lookups of one command share a run.
 */
export class CoalescedRun {
  private running?: Promise<void>;
  /** Number of the run in progress (runs are numbered from 1 as they start). */
  private runningNumber = 0;
  private queued?: Promise<void>;
  private started = 0;
  /** Number of the latest run that finished without error. */
  private completed = 0;

  constructor(private readonly task: () => Promise<void>) {}

  run(): Promise<void> {
    if (!this.running) {
      const number = ++this.started;
      this.runningNumber = number;
      this.running = this.task()
        .then(() => {
          if (number > this.completed) this.completed = number;
        })
        .finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.run();
      });
    return this.queued;
  }

  /** Names "now": runs started so far. */
  ticket(): number {
    return this.started;
  }

  /** Settles once a run that started after `ticket` was taken has finished (rejects as run does when that run fails). */
  async since(ticket: number): Promise<void> {
    if (this.completed > ticket) return;
    if (this.running && this.runningNumber > ticket) return this.running;
    if (!this.running) {
      // Let the other callers of this turn of the event loop (requests read in the same poll) share the run.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.completed > ticket) return;
      if (this.running && this.runningNumber > ticket) return this.running;
    }
    return this.run();
  }

  /** Settles when no run is in progress or queued (whatever their outcome). */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued ?? this.running)!.catch(() => undefined);
  }
}
