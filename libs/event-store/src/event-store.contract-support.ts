import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@ses/events';
import type { EventToAppend, StoredEvent, SubscribeOptions } from './event-store.port';

/** A unique stream name, so suites sharing one server need no cleanup. */
export function uniqueStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * A catalogue event (reads decode what they return, so test events must decode):
 * GroupMemberAdded of group `label`, with `extra` fields kept as stored.
 */
export function anEvent(label = 'contract', extra: Record<string, unknown> = {}): EventToAppend {
  return aRawEvent('GroupMemberAdded', { accountId: 'contract', groupId: label, userId: randomUUID(), ...extra });
}

/** Any type and data, stored as given (e.g. an older schema version, or something no reader decodes). */
export function aRawEvent(type: string, data: Record<string, unknown>, schemaVersion = 1): EventToAppend {
  const metadata: EventMetadata = {
    actor: 'contract-test',
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    schemaVersion,
    occurredAt: new Date().toISOString(),
    hash: 'f'.repeat(64),
  };
  return { eventId: randomUUID(), type, data, metadata };
}

export function events(count: number, label = 'contract'): EventToAppend[] {
  return Array.from({ length: count }, (_unused, index) => anEvent(label, { index }));
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
