import { SCHEMA_VERSIONS, type EventType } from './catalogue';

/**
 * Upcasters turn stored data of an older schema version into the current shape
 * when events are read; stored events are never rewritten. Keyed by type, then by
 * the version they upgrade from.
 */
type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

const UPCASTERS: Partial<Record<EventType, Record<number, Upcaster>>> = {};

export function upcast(type: string, schemaVersion: number | undefined, data: Record<string, unknown>): { data: Record<string, unknown>; schemaVersion: number } {
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
