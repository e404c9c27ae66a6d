import { fromPositionKey, toPositionKey } from './position-key';

describe('position key', () => {
  it('orders like the numbers it encodes when compared as strings', () => {
    const positions = [0n, 9n, 10n, 99n, 100n, 18446744073709551615n, 1234567n];
    const byKey = [...positions].sort((a, b) => (toPositionKey(a) < toPositionKey(b) ? -1 : 1));
    expect(byKey).toEqual([0n, 9n, 10n, 99n, 100n, 1234567n, 18446744073709551615n]);
  });

  it('round-trips', () => {
    expect(fromPositionKey(toPositionKey(18446744073709551615n))).toBe(18446744073709551615n);
    expect(toPositionKey(42n)).toBe('00000000000000000042');
  });

  it('rejects positions it cannot order', () => {
    expect(() => toPositionKey(-1n)).toThrow(RangeError);
    expect(() => toPositionKey(10n ** 20n)).toThrow(RangeError);
  });
});
