import { backoffDelay, type EventStore } from '@ses/event-store';
import type { ReadStore, ReadStoreCatalog } from '@ses/read-store';
import type { Logger } from 'pino';
import type { Projection } from '../projections/projection';
import { checkEventStore, WrongEventStoreError } from './event-store-identity';
import { checkLayout } from './read-model-layout';
import { rebuildReadModels } from './rebuild';

/**
 * The active generation, opened; rebuilt from the log first (into a new
 * generation, then activated) when other projection versions wrote it. Queries
 * would otherwise read documents of a shape the code no longer writes.
 */
export async function openCurrentGeneration(
  catalog: ReadStoreCatalog,
  events: EventStore,
  projections: readonly Projection[],
  logger: Pick<Logger, 'info' | 'warn'>,
  startupWaitMs = STARTUP_WAIT_MS,
): Promise<{ store: ReadStore; generation: string }> {
  const generation = await catalog.active();
  const store = await catalog.open(generation);
  try {
    // Before anything else: read models of another event store are refused, not rebuilt behind the operator's back.
    await untilReachable(() => checkEventStore(store, events, generation), logger, startupWaitMs);
  } catch (error) {
    await store.close();
    throw error;
  }
  const layout = await checkLayout(store, projections);
  if (!layout.stale) return { store, generation };
  await store.close();
  logger.warn({ generation, reason: layout.reason }, 'read models are stale: rebuilding them from the event log before serving');
  const rebuilt = await rebuildReadModels(events, catalog, projections);
  logger.info({ generation: rebuilt.generation, events: rebuilt.events, seconds: rebuilt.seconds }, 'read models rebuilt');
  return { store: await catalog.open(rebuilt.generation), generation: rebuilt.generation };
}

/** How long a starting query app waits for an event store that does not answer (a stack starting together) before it gives up. */
const STARTUP_WAIT_MS = 60_000;

/** Runs `check`, again after a back-off while the store does not answer; a refusal (WrongEventStoreError) is final. */
async function untilReachable(check: () => Promise<void>, logger: Pick<Logger, 'warn'>, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await check();
    } catch (error) {
      if (error instanceof WrongEventStoreError || Date.now() >= deadline) throw error;
      const delayMs = Math.min(backoffDelay(attempt), Math.max(0, deadline - Date.now()));
      logger.warn(
        { err: error instanceof Error ? error.message : String(error), attempt, delayMs },
        'event store not reachable yet; waiting for it before serving',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
