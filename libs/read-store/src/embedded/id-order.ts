/**
 * Whether `a` comes after `b` in SQLite's order of ids (BINARY: their UTF-8 bytes). The
 * order of UTF-16 units is the same up to the first unit that differs, unless that unit
 * is a surrogate or in U+E000-U+FFFF in either string: those are compared as bytes.
 */
export function afterInFileOrder(a: string, b: string): boolean {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x > y;
    return Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;
  }
  return a.length > b.length;
}
