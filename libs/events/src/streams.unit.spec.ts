import { STREAM_PREFIXES, streams } from './streams';

describe('stream names', () => {
  it('every kind of stream the service writes starts with one of STREAM_PREFIXES (EventStoreDB subscriptions see only those)', () => {
    const names = Object.entries(streams).map(([kind, name]) => {
      const make = name as (...parts: string[]) => string;
      return [kind, make(...Array.from({ length: make.length }, (_unused, index) => `Part-${index}`))];
    });
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const [kind, name] of names) expect({ kind, covered: STREAM_PREFIXES.some((prefix) => name!.startsWith(prefix)) }).toEqual({ kind, covered: true });
  });

  it('no prefix is a prefix of another, and none is a system ($) prefix', () => {
    for (const prefix of STREAM_PREFIXES) {
      expect(prefix.startsWith('$')).toBe(false);
      expect(STREAM_PREFIXES.filter((other) => other !== prefix && other.startsWith(prefix))).toEqual([]);
    }
  });
});
