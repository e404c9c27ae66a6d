import type { EventStore } from '@ses/event-store';
import { newGenerationName, type ReadStoreCatalog, type WriteOp } from '@ses/read-store';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';
import type { Projection } from '../projections/projection';
import { recordEventStore, SOURCE_CHECKPOINT } from './event-store-identity';
import { LAYOUT_CHECKPOINT, LAYOUT_COLLECTION, recordLayout } from './read-model-layout';

export interface RebuildResult {
  generation: string;
  previousGeneration: string;
  events: number;
  position: string;
  seconds: number;
}

const PAGE = 5000;

/**
 * Projects the whole global log into a NEW read-model generation with the same pure
 * projections the live engine runs, then activates it. A running query app notices
 * the switch, moves its queries and its engine over (the engine resumes after the
 * rebuild's last position) and never stops answering.
 */
export async function rebuildReadModels(
  events: EventStore,
  catalog: ReadStoreCatalog,
  projections: readonly Projection[],
  onProgress?: (events: number) => void,
): Promise<RebuildResult> {
  const started = process.hrtime.bigint();
  const previousGeneration = await catalog.active();
  const generation = newGenerationName();
  const store = await catalog.open(generation);
  let count = 0;
  let after = -1n;
  try {
    await store.reset(
      [...new Set(projections.flatMap((p) => p.collections)), LAYOUT_COLLECTION],
      [PROJECTION_CHECKPOINT, LAYOUT_CHECKPOINT, SOURCE_CHECKPOINT],
    );
    await recordLayout(store, projections);
    // Which log these checkpoints are positions of: the query app refuses to resume them on another.
    if (events.identity) await recordEventStore(store, await events.identity());
    for (const projection of projections) for (const index of projection.indexes ?? []) await store.ensureIndex(index.collection, index.fields);
    for (;;) {
      const page = await events.readAll({ after, maxCount: PAGE });
      if (page.length === 0) break;
      // Loops, not nested flatMaps: no array per event and projection beyond what each projection returns.
      const ops: WriteOp[] = [];
      for (const event of page) for (const projection of projections) for (const op of projection.project(event)) ops.push(op);
      after = page[page.length - 1].position;
      await store.commit(PROJECTION_CHECKPOINT, after, ops);
      count += page.length;
      onProgress?.(count);
    }
  } finally {
    await store.close();
  }
  await catalog.activate(generation);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { generation, previousGeneration, events: count, position: after.toString(), seconds: Math.round(seconds * 1000) / 1000 };
}
