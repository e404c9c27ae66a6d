/**
 * Test-only: the shape of an aggregate's state (field names and kinds, Map and Set values
 * by their first entry), so that a test can pin it next to the state's version. A snapshot
 * of the state is only as good as its version: a new field without a new version would be
 * read from old snapshots as missing.
 */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (value instanceof Map) return { Map: value.size === 0 ? 'empty' : shapeOf(value.values().next().value) };
  if (value instanceof Set) return { Set: value.size === 0 ? 'empty' : shapeOf(value.values().next().value) };
  if (Array.isArray(value)) return value.length === 0 ? ['empty'] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([key, field]) => [key, shapeOf(field)]));
  }
  return typeof value;
}
