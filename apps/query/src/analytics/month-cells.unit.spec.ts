import { cellParts, decodeMonth, monthsCells } from './month-cells';

describe('month cells', () => {
  it("makes a cell per user~machine~country with its user~machine's minutes", () => {
    const month = decodeMonth({
      sessionsByUserMachineCountry: { 'u%2e1~m1~US': 2, 'u%2e1~m2~US': 1, 'u2~m1~': 3 },
      minutesByUserMachine: { 'u%2e1~m1': 30, 'u2~m1': 7.5 },
      peakSampled: 4,
    });
    expect(month.peakSampled).toBe(4);
    expect(monthsCells([month])).toEqual([
      { hour: 0, user: 'u%2e1', machine: 'm1', country: 'US', sessions: 2, minutes: 30, key: 'u%2e1~m1~US' },
      { hour: 0, user: 'u%2e1', machine: 'm2', country: 'US', sessions: 1, minutes: 0, key: 'u%2e1~m2~US' },
      { hour: 0, user: 'u2', machine: 'm1', country: '', sessions: 3, minutes: 7.5, key: 'u2~m1~' },
    ]);
    expect(monthsCells([decodeMonth({})])).toEqual([]);
    expect(decodeMonth({}).peakSampled).toBe(0);
  });

  it('splits keys at the separators only (escaped ids hold none)', () => {
    expect(cellParts('a~b~c')).toEqual(['a', 'b', 'c', 'a~b']);
    expect(cellParts('a~b')).toEqual(['a', 'b', '', 'a~b']);
    expect(cellParts('a')).toEqual(['a', '', '', 'a']);
  });

  it('sums the cells of several months per key, leaving the months as they were', () => {
    const march = decodeMonth({ sessionsByUserMachineCountry: { 'u1~m~US': 1, 'u2~m~DE': 2 }, minutesByUserMachine: { 'u1~m': 10 } });
    const april = decodeMonth({ sessionsByUserMachineCountry: { 'u1~m~US': 3, 'u3~m~FR': 1 }, minutesByUserMachine: { 'u1~m': 5, 'u3~m': 2.25 } });
    expect(monthsCells([march, april])).toEqual([
      { hour: 0, user: 'u1', machine: 'm', country: 'US', sessions: 4, minutes: 15, key: 'u1~m~US' },
      { hour: 0, user: 'u2', machine: 'm', country: 'DE', sessions: 2, minutes: 0, key: 'u2~m~DE' },
      { hour: 0, user: 'u3', machine: 'm', country: 'FR', sessions: 1, minutes: 2.25, key: 'u3~m~FR' },
    ]);
    expect(march).toMatchObject({ keys: ['u1~m~US', 'u2~m~DE'], sessions: [1, 2], minutes: [10, 0] });
    expect(monthsCells([march, april])).toEqual(monthsCells([march, april])); // a warm report makes the same cells again
  });
});
