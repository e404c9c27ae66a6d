import type { Doc, ReadStore } from '@ses/read-store';
import type { Projection } from '../projections/projection';
import { PROJECTION_CHECKPOINT } from '../projections/projection-engine';

/** Where a read-model generation records the projection versions that wrote it. */
export const LAYOUT_COLLECTION = 'readModelLayout';
/** The layout record is committed under its own checkpoint, apart from the projections'. */
export const LAYOUT_CHECKPOINT = 'read-model-layout';
const LAYOUT_ID = 'projections';

export type ProjectionVersions = Record<string, number>;

interface LayoutDoc extends Doc {
  versions: ProjectionVersions;
}

export type LayoutCheck = { stale: false } | { stale: true; reason: string };

export const versionsOf = (projections: readonly Projection[]): ProjectionVersions =>
  Object.fromEntries(projections.map((projection) => [projection.name, projection.version]));

/** Records which projection versions write this (empty, or just rebuilt) generation. */
export async function recordLayout(store: ReadStore, projections: readonly Projection[]): Promise<void> {
  const update = { $set: { versions: versionsOf(projections) } };
  await store.commit(LAYOUT_CHECKPOINT, 0n, [{ kind: 'upsert', collection: LAYOUT_COLLECTION, id: LAYOUT_ID, update, position: 0n }]);
}

/**
 * Were this generation's read models written by these projections? A generation
 * nothing was projected into yet is recorded as theirs; one written by other
 * versions (or before versions were recorded) is stale and must be rebuilt from
 * the log: its documents may have another shape.
 */
export async function checkLayout(store: ReadStore, projections: readonly Projection[]): Promise<LayoutCheck> {
  const recorded = await store.findOne<LayoutDoc>(LAYOUT_COLLECTION, { _id: LAYOUT_ID });
  if (!recorded) {
    if ((await store.checkpoint(LAYOUT_CHECKPOINT)) === null && (await store.checkpoint(PROJECTION_CHECKPOINT)) === null) {
      await recordLayout(store, projections);
      return { stale: false };
    }
    return { stale: true, reason: 'read models were written before projection versions were recorded' };
  }
  const wanted = versionsOf(projections);
  const changed = [...new Set([...Object.keys(wanted), ...Object.keys(recorded.versions)])]
    .filter((name) => wanted[name] !== recorded.versions[name])
    .map((name) => `${name} ${recorded.versions[name] ?? 'none'} -> ${wanted[name] ?? 'none'}`);
  return changed.length === 0 ? { stale: false } : { stale: true, reason: `projection versions changed: ${changed.join(', ')}` };
}
