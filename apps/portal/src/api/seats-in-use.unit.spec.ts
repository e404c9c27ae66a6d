import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { seatsInUseQuery, seatsInUseVariables } from './seats-in-use';

describe('seats in use of many products in one request', () => {
  it('aliases one seatHolders per product, with the ids as variables (never spliced into the text)', () => {
    const query = seatsInUseQuery(['MSTN', 'a"b']);
    expect(query).toBe(
      'query SeatsInUse($accountId: ID!, $p0: ID!, $p1: ID!) { p0: seatHolders(accountId: $accountId, productId: $p0) { userId } p1: seatHolders(accountId: $accountId, productId: $p1) { userId } }',
    );
    expect(() => parse(query)).not.toThrow();
    expect(seatsInUseVariables('acc', ['MSTN', 'a"b'])).toEqual({ accountId: 'acc', p0: 'MSTN', p1: 'a"b' });
    expect(() => parse(seatsInUseQuery([]))).not.toThrow();
  });
});
