import { SCHEMA_VERSIONS, type EventType } from './catalogue';

/**
 * Upcasters turn stored data of an older schema version into the current shape
 * when events are read; stored events are never rewritten. Keyed by type, then by
 * the version they upgrade from.
 */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * UsageStarted v1 -> v2: v1 was stored without `productVersion` and `country`.
 * Missing productVersion reads as null (the client did not say, as v2 records an
 * absent input). Missing country reads as '' (unknown): the field stays a string for
 * every consumer, and '' is never an ISO code, so reports show it as its own
 * "unknown" bucket instead of guessing the user's country of today. Values a v1
 * event does carry are kept.
 */
export const usageStartedV1toV2: Upcaster = (data) => ({
  ...data,
  productVersion: typeof data.productVersion === 'string' ? data.productVersion : null,
  country: typeof data.country === 'string' ? data.country : '',
});

const UPCASTERS: Partial<Record<EventType, Record<number, Upcaster>>> = {
  UsageStarted: { 1: usageStartedV1toV2 },
};

export function upcast(
  type: string,
  schemaVersion: number | undefined,
  data: Record<string, unknown>,
): { data: Record<string, unknown>; schemaVersion: number } {
  const current = SCHEMA_VERSIONS[type as EventType];
  let version = schemaVersion ?? 1;
  if (current === undefined) return { data, schemaVersion: version };
  let upgraded = data;
  while (version < current) {
    const step = UPCASTERS[type as EventType]?.[version];
    if (!step) throw new Error(`no upcaster for ${type} v${version} -> v${version + 1}`);
    upgraded = step(upgraded);
    version += 1;
  }
  return { data: upgraded, schemaVersion: version };
}
