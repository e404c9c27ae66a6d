import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@ses/events';
import type { EventToAppend, StoredEvent, SubscribeOptions } from './event-store.port';

/** A unique stream name, so suites sharing one server need no cleanup. */
export function uniqueStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

export function anEvent(type = 'ContractTested', data: Record<string, unknown> = {}): EventToAppend {
  const metadata: EventMetadata = {
    actor: 'contract-test',
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    hash: 'f'.repeat(64),
  };
  return { eventId: randomUUID(), type, data, metadata };
}

export function events(count: number, type = 'ContractTested'): EventToAppend[] {
  return Array.from({ length: count }, (_unused, index) => anEvent(type, { index }));
}

/** Polls `condition` until it holds; fails with `description` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Like waitUntil for an async probe; a probe that throws counts as "not yet". */
export async function waitUntilAsync(probe: () => Promise<boolean>, description: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${description} (last error: ${String(lastError)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Collects what a subscription delivers, for the events of the given streams only. */
export class DeliveryRecorder {
  readonly received: StoredEvent[] = [];
  readonly errors: Error[] = [];

  constructor(private readonly streams: ReadonlySet<string>) {}

  readonly onEvent: SubscribeOptions['onEvent'] = (event) => {
    if (this.streams.has(event.streamId)) this.received.push(event);
  };

  readonly onError = (error: Error): void => {
    this.errors.push(error);
  };

  ids(): string[] {
    return this.received.map((event) => event.eventId);
  }

  waitForCount(count: number): Promise<void> {
    return waitUntil(() => this.received.length >= count || this.errors.length > 0, `${count} events arrived`);
  }
}
