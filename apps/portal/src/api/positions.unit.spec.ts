import { describe, expect, it } from '@jest/globals';
import { Positions } from './positions';

describe('read-your-writes positions', () => {
  it('sends nothing until a mutation answered, then the highest position seen (numerically, beyond 2^53)', () => {
    const positions = new Positions();
    expect(positions.header).toEqual({});
    positions.note('9');
    positions.note('10');
    positions.note('2');
    expect(positions.header).toEqual({ 'x-ses-min-position': '10' });
    positions.note('90071992547409930');
    expect(positions.value).toBe('90071992547409930');
    positions.note('not a position');
    expect(positions.value).toBe('90071992547409930');
  });
});
