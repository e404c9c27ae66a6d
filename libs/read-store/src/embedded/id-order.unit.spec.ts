import { afterInFileOrder } from './id-order';

/** SQLite's order of TEXT ids: their UTF-8 bytes. */
const afterAsBytes = (a: string, b: string): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;

describe('afterInFileOrder', () => {
  const ids = [
    '',
    'a',
    'ab',
    'b',
    'acct|00000000000000000042',
    'acct|00000000000000000420',
    'Z',
    'é',
    '\u07ff',
    '\u0800',
    '\ud7ff',
    '\ue000',
    '\uffff',
    '😀',
    'a😀',
    'a\ue000',
    'a\uffff',
  ];

  it.each(ids.flatMap((a) => ids.map((b) => [a, b])))('orders %j against %j as SQLite does', (a, b) => {
    expect(afterInFileOrder(a, b)).toBe(afterAsBytes(a, b));
  });

  it('differs from JavaScript order where UTF-16 and UTF-8 disagree', () => {
    // U+E000 is one unit above the surrogates in UTF-16 but below every 4-byte character in UTF-8.
    expect('\ue000' > '😀').toBe(true);
    expect(afterInFileOrder('\ue000', '😀')).toBe(false);
  });
});
