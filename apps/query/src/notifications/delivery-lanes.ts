import { PriorityQueue } from '@datastructures-js/priority-queue';

/** One record waiting in a lane: due at `dueAt` (ms since the epoch); lanes take the oldest due first. */
export interface LaneItem {
  id: string;
  positionKey: string;
  dueAt: number;
}

/** What an attempt left to do: when to try again, or nothing (delivered, failed for good, or no longer pending). */
export type AttemptOutcome = { retryAt: number } | { done: true };

export type Attempt = (lane: string, item: LaneItem) => Promise<AttemptOutcome>;

interface Lane {
  readonly key: string;
  /** Every item of the lane: ready, waiting or being attempted. */
  readonly items: Map<string, LaneItem>;
  /** Due now, oldest event first. */
  readonly ready: PriorityQueue<LaneItem>;
  /** Not due yet, soonest first. */
  readonly waiting: PriorityQueue<LaneItem>;
  readonly busy: Set<string>;
  timer?: NodeJS.Timeout;
  timerAt?: number;
}

const byPosition = (a: LaneItem, b: LaneItem): number => (a.positionKey < b.positionKey ? -1 : a.positionKey > b.positionKey ? 1 : 0);
const byDueTime = (a: LaneItem, b: LaneItem): number => a.dueAt - b.dueAt;

/**
 * Schedules attempts in lanes (one per webhook, one for mail). A lane runs at most
 * `concurrency(lane)` attempts at once (1 for a webhook: its deliveries go out one after
 * another, oldest event first) and sleeps until its next item is due, so a slow or dead
 * endpoint holds only its own lane: other lanes never wait for it. Every item keeps its own
 * retry schedule (a failed delivery waits; younger ones behind it still go out), which is
 * how order is kept "as far as retries allow". Items are only ids and times: the records
 * themselves are in the store.
 */
export class DeliveryLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly attempt: Attempt,
    private readonly concurrency: (lane: string) => number,
    private readonly onError: (lane: string, id: string, error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds (or, if known, leaves alone) a record to deliver. */
  add(lane: string, item: LaneItem): void {
    if (this.stopped) return;
    const entry = this.lane(lane);
    if (entry.items.has(item.id)) return;
    const own = { ...item };
    entry.items.set(own.id, own);
    this.queue(entry, own);
    this.kick(entry);
  }

  /** Makes everything waiting in a lane due now (its webhook was removed or disabled: they fail at once). */
  expedite(lane: string): void {
    const entry = this.lanes.get(lane);
    if (!entry) return;
    for (let item = entry.waiting.dequeue(); item; item = entry.waiting.dequeue()) {
      item.dueAt = 0;
      entry.ready.enqueue(item);
    }
    this.kick(entry);
  }

  /** Records waiting (or being attempted), all lanes together. */
  get pending(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.items.size;
    return count;
  }

  pendingIn(lane: string): number {
    return this.lanes.get(lane)?.items.size ?? 0;
  }

  /** Starts nothing more; resolves once the attempts under way have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes.values()) clearTimeout(lane.timer);
    await Promise.allSettled([...this.running]);
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane)
      this.lanes.set(key, (lane = { key, items: new Map(), ready: new PriorityQueue(byPosition), waiting: new PriorityQueue(byDueTime), busy: new Set() }));
    return lane;
  }

  private queue(lane: Lane, item: LaneItem): void {
    if (item.dueAt <= this.now()) lane.ready.enqueue(item);
    else lane.waiting.enqueue(item);
  }

  private kick(lane: Lane): void {
    if (this.stopped) return;
    const limit = this.concurrency(lane.key);
    const now = this.now();
    for (let next = lane.waiting.front(); next && next.dueAt <= now; next = lane.waiting.front()) lane.ready.enqueue(lane.waiting.dequeue()!);
    while (lane.busy.size < limit) {
      const next = lane.ready.dequeue();
      if (!next) break;
      this.start(lane, next);
    }
    this.sleep(lane, now);
    if (lane.items.size === 0 && lane.busy.size === 0 && this.lanes.get(lane.key) === lane) {
      clearTimeout(lane.timer);
      this.lanes.delete(lane.key);
    }
  }

  /** Wakes the lane when its next waiting item falls due. */
  private sleep(lane: Lane, now: number): void {
    const earliest = lane.waiting.front()?.dueAt;
    if (earliest === undefined || earliest <= now) return;
    if (lane.timer && lane.timerAt === earliest) return;
    clearTimeout(lane.timer);
    lane.timerAt = earliest;
    lane.timer = setTimeout(
      () => {
        lane.timer = undefined;
        lane.timerAt = undefined;
        this.kick(lane);
      },
      Math.min(earliest - now, 2 ** 31 - 1),
    );
    lane.timer.unref();
  }

  private start(lane: Lane, item: LaneItem): void {
    lane.busy.add(item.id);
    const run = (async () => {
      try {
        const outcome = await this.attempt(lane.key, item);
        if ('done' in outcome) {
          lane.items.delete(item.id);
        } else {
          item.dueAt = outcome.retryAt;
          this.queue(lane, item);
        }
      } catch (error) {
        // The record could not be read or written (store trouble): try it again in a while.
        this.onError(lane.key, item.id, error);
        item.dueAt = this.now() + 1000;
        this.queue(lane, item);
      } finally {
        lane.busy.delete(item.id);
      }
    })();
    this.running.add(run);
    void run.finally(() => {
      this.running.delete(run);
      this.kick(lane);
    });
  }
}
