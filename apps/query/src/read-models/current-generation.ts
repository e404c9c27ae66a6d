import type { EventStore } from '@ses/event-store';
import type { ReadStore, ReadStoreCatalog } from '@ses/read-store';
import type { Logger } from 'pino';
import type { Projection } from '../projections/projection';
import { checkEventStore } from './event-store-identity';
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
  logger: Logger,
): Promise<{ store: ReadStore; generation: string }> {
  const generation = await catalog.active();
  const store = await catalog.open(generation);
  try {
    // Before anything else: read models of another event store are refused, not rebuilt behind the operator's back.
    await checkEventStore(store, events, generation);
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
