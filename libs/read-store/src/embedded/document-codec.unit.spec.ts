import { decodeDocument, encodeDocument } from './document-codec';

describe('document codec', () => {
  it('round-trips nested values and keeps Dates as Dates', () => {
    const doc = {
      _id: 'a',
      _pos: '00000000000000000007',
      at: new Date('2024-05-01T10:00:00.000Z'),
      nested: { list: [1, 'two', { when: new Date(0) }], none: null },
    };
    const decoded = decodeDocument(encodeDocument(doc));
    expect(decoded).toEqual(doc);
    expect(decoded.at).toBeInstanceOf(Date);
  });

  it('leaves a field that merely looks like a tag alongside others as it is', () => {
    const doc = { _id: 'b', _pos: '1', note: { $date: '2024-05-01T10:00:00.000Z', other: 1 }, text: '"$date"' };
    expect(decodeDocument(encodeDocument(doc))).toEqual(doc);
  });

  it('refuses values JSON cannot hold instead of losing them', () => {
    expect(() => encodeDocument({ _id: 'a', _pos: '0', big: 1n })).toThrow(TypeError);
  });
});
