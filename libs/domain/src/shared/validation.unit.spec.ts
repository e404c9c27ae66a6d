import { DomainError } from './domain-error';
import { describeRange, isBoundedText, isEmail, isInRange, LIMITS, Validator } from './validation';

describe('the table of input limits', () => {
  it('holds text lengths and list sizes as positive integers, ranges as [min, max]', () => {
    for (const [name, limit] of Object.entries(LIMITS)) {
      if (typeof limit === 'number') expect([name, Number.isInteger(limit) && limit > 0]).toEqual([name, true]);
      else expect([name, Number.isInteger(limit[0]) && Number.isInteger(limit[1]) && limit[0] <= limit[1]]).toEqual([name, true]);
    }
  });

  it('checks ranges inclusively, integers only, and says what it wants', () => {
    expect(isInRange(1, LIMITS.checkoutDays)).toBe(true);
    expect(isInRange(365, LIMITS.checkoutDays)).toBe(true);
    expect(isInRange(0, LIMITS.checkoutDays)).toBe(false);
    expect(isInRange(366, LIMITS.checkoutDays)).toBe(false);
    expect(isInRange(1.5, LIMITS.checkoutDays)).toBe(false);
    expect(describeRange(LIMITS.seats)).toBe('an integer 1..1000000');
  });

  it('bounds text: trimmed non-empty, at most the limit', () => {
    expect(isBoundedText('x'.repeat(LIMITS.sessionId), LIMITS.sessionId)).toBe(true);
    expect(isBoundedText('x'.repeat(LIMITS.sessionId + 1), LIMITS.sessionId)).toBe(false);
    expect(isBoundedText('  ', LIMITS.sessionId)).toBe(false);
    expect(isEmail(`${'a'.repeat(LIMITS.email - 9)}@acme.test`)).toBe(false);
  });
});

describe('Validator', () => {
  it('names every failing field once in one BAD_USER_INPUT', () => {
    const v = new Validator().check(false, 'a', 'first').check(true, 'b', 'fine').check(false, 'a', 'second').check(false, 'c', 'third');
    expect(() => v.throwIfInvalid()).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', fields: ['a', 'c'] }));
    expect(() => new Validator().check(true, 'a', 'ok').throwIfInvalid()).not.toThrow(DomainError);
  });
});
