import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws subscriber as alert engines run one: authenticated by the connection_init payload. */
export class Subscriber<T = Record<string, any>> {
  readonly received: T[] = [];
  readonly errors: unknown[] = [];
  private readonly client: Client;
  private dispose?: () => void;
  private waiters: (() => void)[] = [];
  closedWith?: { code: number; reason: string };

  /** `minPosition`: read-your-writes for the subscription's authorization (x-ses-min-position in the connection_init payload). */
  constructor(url: string, token: string | undefined, minPosition?: string) {
    this.client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(minPosition ? { 'x-ses-min-position': minPosition } : {}) },
      retryAttempts: 0,
      lazy: true,
      on: { closed: (event) => (this.closedWith = { code: (event as { code: number }).code, reason: (event as { reason: string }).reason }) },
    });
  }

  /** Subscribes and resolves once the server acknowledged the connection (so later events are not missed). */
  subscribe(query: string, variables: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      const off = this.client.on('connected', () => {
        off();
        resolve();
      });
      const offClosed = this.client.on('closed', () => {
        offClosed();
        reject(new Error(`connection closed: ${JSON.stringify(this.closedWith)}`));
      });
      this.dispose = this.client.subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            if (value.errors) this.errors.push(value.errors);
            if (value.data) this.received.push(value.data as T);
            this.wake();
          },
          error: (error) => {
            this.errors.push(error);
            this.wake();
          },
          complete: () => this.wake(),
        },
      );
    });
  }

  /** Waits until `count` messages arrived (or fails after the deadline). */
  async waitFor(count: number, timeoutMs = 5000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`expected ${count} messages, got ${this.received.length}: ${JSON.stringify(this.received)} errors ${JSON.stringify(this.errors)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  /** Waits until an error arrived. */
  async waitForError(timeoutMs = 5000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (this.errors.length === 0) {
      if (Date.now() > deadline) throw new Error('expected an error');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.errors[0];
  }

  /**
   * graphql-ws does not acknowledge a subscription, so a test cannot know when the
   * server has registered it: repeat a harmless action that produces a message until
   * one arrives. Messages received before that are dropped.
   */
  async prime(action: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (Date.now() > deadline) throw new Error(`subscription never delivered: ${JSON.stringify(this.errors)}`);
      await action();
      try {
        await this.waitFor(1, 300);
      } catch {
        // not registered yet: try again
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    this.received.length = 0;
  }

  async close(): Promise<void> {
    this.dispose?.();
    await this.client.dispose();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
