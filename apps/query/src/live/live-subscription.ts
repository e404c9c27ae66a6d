/**
 * One event rendered for one selection: its JSON (`{ data, errors? }`), and the complete
 * `next` messages built from it, one per subscription id seen (clients number their
 * subscriptions from 1, so most connections share a message byte for byte).
 */
export interface RenderedEvent {
  readonly json: string;
  readonly messages: Map<string, Buffer>;
}

/**
 * Where a subscription's events go once graphql-ws serves it: straight onto its
 * connection, already serialized (see LiveEvents#fanOut). `key` names what the
 * subscriber selected (document, operation, variables): subscribers with the same key
 * receive the same bytes, so each event is rendered and serialized once per key.
 */
export interface LiveRoute {
  readonly key: string;
  /** Executes the subscriber's selection on one event and serializes the result (JSON of `{ data, errors? }`). */
  render(payload: unknown): string | Promise<string>;
  /** Sends one `next` message carrying that rendering. */
  send(rendered: RenderedEvent): void;
}

/** Unread events a subscription consumed by pulling (not over graphql-ws) may hold before it is ended. */
export const MAX_QUEUED_EVENTS = 1000;

export class SlowSubscriberError extends Error {
  constructor(limit: number) {
    super(`subscription ended: more than ${limit} events were left unread`);
    this.name = 'SlowSubscriberError';
  }
}

/**
 * One open subscription of one principal to one topic.
 *
 * Served by graphql-ws, it is `attach`ed to a route and events bypass it (the hub writes
 * them to the connection); its iterator then only tells graphql-ws when the
 * subscription has ended. Consumed by pulling (tests, other transports), it is an async
 * iterator of the payloads with a bounded queue: a consumer that falls more than
 * MAX_QUEUED_EVENTS behind gets an error instead of growing memory.
 *
 * `return()` (graphql-ws calls it on `complete` and when the connection closes) releases
 * it from the hub at once.
 */
export class LiveSubscription<T = unknown> implements AsyncIterableIterator<T> {
  route?: LiveRoute;
  private readonly queue: T[] = [];
  private readonly waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void }[] = [];
  private failure?: Error;
  private ended = false;

  constructor(
    readonly topic: string,
    readonly owner: string,
    private readonly release: (subscription: LiveSubscription<T>) => void,
    private readonly maxQueued = MAX_QUEUED_EVENTS,
  ) {}

  get open(): boolean {
    return !this.ended;
  }

  attach(route: LiveRoute): void {
    this.route = route;
    this.queue.length = 0;
  }

  /** Pull mode: hands the payload to a waiting `next()` or queues it (bounded). */
  push(payload: T): void {
    if (this.ended) return;
    const waiter = this.waiting.shift();
    if (waiter) return waiter.resolve({ value: payload, done: false });
    if (this.queue.length >= this.maxQueued) return this.end(new SlowSubscriberError(this.maxQueued));
    this.queue.push(payload);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the subscription (idempotent): released from the hub, waiting readers told. */
  end(failure?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.route = undefined;
    this.queue.length = 0;
    this.release(this);
    const waiting = this.waiting.splice(0);
    if (failure && waiting.length === 0) this.failure = failure;
    if (failure) waiting.shift()?.reject(failure);
    for (const waiter of waiting) waiter.resolve({ value: undefined, done: true });
  }
}
