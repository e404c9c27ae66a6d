/**
 * Runs an async task so that every caller gets a run that STARTED after it called: a
 * caller arriving while a run is in progress waits for the next one, which all such
 * callers share. (Joining the run in progress would be wrong for a catch-up: it may have
 * read the log's end before the caller's event was appended.) Hand-written: a dozen lines
 * with this exact guarantee, which the usual debounce/dedupe helpers do not give.
 */
export class CoalescedRun {
  private running?: Promise<void>;
  private queued?: Promise<void>;

  constructor(private readonly task: () => Promise<void>) {}

  run(): Promise<void> {
    if (!this.running) {
      this.running = this.task().finally(() => (this.running = undefined));
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

  /** Settles when no run is in progress or queued (whatever their outcome). */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued ?? this.running)!.catch(() => undefined);
  }
}
