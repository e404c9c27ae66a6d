/**
 * Documents remember the position of the last write applied to them as `_pos`.
 * It is stored as a fixed-width, zero-padded decimal string so that plain string
 * comparison (SQLite body, MongoDB `$gte` on strings) orders positions numerically,
 * for the whole unsigned 64-bit range (a signed Long would not cover it).
 */
export const POSITION_FIELD = '_pos';

const WIDTH = 20; // 2^64 - 1 has 20 digits
const LIMIT = 10n ** BigInt(WIDTH);

export function toPositionKey(position: bigint): string {
  if (position < 0n || position >= LIMIT) {
    throw new RangeError(`Position ${position} is outside 0..${LIMIT - 1n}`);
  }
  return position.toString().padStart(WIDTH, '0');
}

export function fromPositionKey(key: string): bigint {
  return BigInt(key);
}
