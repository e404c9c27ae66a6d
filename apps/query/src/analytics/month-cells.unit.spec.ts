import { cellParts, monthCells, sumCells } from './month-cells';

describe('month cells', () => {
  it("makes a cell per user~machine~country with its user~machine's minutes", () => {
    const cells = monthCells({
      sessionsByUserMachineCountry: { 'u%2e1~m1~US': 2, 'u%2e1~m2~US': 1, 'u2~m1~': 3 },
      minutesByUserMachine: { 'u%2e1~m1': 30, 'u2~m1': 7.5 },
    });
    expect(cells).toEqual([
      { hour: 0, user: 'u%2e1', machine: 'm1', country: 'US', sessions: 2, minutes: 30, key: 'u%2e1~m1~US' },
      { hour: 0, user: 'u%2e1', machine: 'm2', country: 'US', sessions: 1, minutes: 0, key: 'u%2e1~m2~US' },
      { hour: 0, user: 'u2', machine: 'm1', country: '', sessions: 3, minutes: 7.5, key: 'u2~m1~' },
    ]);
    expect(monthCells({})).toEqual([]);
  });

  it('splits keys at the separators only (escaped ids hold none)', () => {
    expect(cellParts('a~b~c')).toEqual(['a', 'b', 'c', 'a~b']);
    expect(cellParts('a~b')).toEqual(['a', 'b', '', 'a~b']);
    expect(cellParts('a')).toEqual(['a', '', '', 'a']);
  });

  it('sums the cells of several months per key, leaving them as they were', () => {
    const march = monthCells({ sessionsByUserMachineCountry: { 'u1~m~US': 1, 'u2~m~DE': 2 }, minutesByUserMachine: { 'u1~m': 10 } });
    const april = monthCells({ sessionsByUserMachineCountry: { 'u1~m~US': 3 }, minutesByUserMachine: { 'u1~m': 5 } });
    expect(sumCells([march, april])).toEqual([
      { hour: 0, user: 'u1', machine: 'm', country: 'US', sessions: 4, minutes: 15, key: 'u1~m~US' },
      { hour: 0, user: 'u2', machine: 'm', country: 'DE', sessions: 2, minutes: 0, key: 'u2~m~DE' },
    ]);
    expect(march[0]).toMatchObject({ sessions: 1, minutes: 10 });
    expect(sumCells([april])).toBe(april);
  });
});
