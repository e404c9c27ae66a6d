import { DomainError } from './domain-error';
import { describeRange, emailDomain, isBoundedText, isEmail, isHostName, isInRange, LIMITS, Validator } from './validation';

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

describe('host names (email domains)', () => {
  it('accepts lower-case LDH host names of two labels or more', () => {
    expect(['acme.example', 'eng.acme-corp.example', 'xn--bcher-kva.example', '1.2.example'].filter(isHostName)).toHaveLength(4);
  });

  it('refuses upper case, single labels, empty or over-long labels, edge hyphens, dots and anything else', () => {
    const bad = [
      'Acme.example',
      'acme',
      '.acme.example',
      'acme..example',
      'acme.example.',
      '-a.example',
      'a-.example',
      'a_b.example',
      `${'a'.repeat(64)}.example`,
      `${'a.'.repeat(127)}ex`,
    ];
    expect(bad.filter(isHostName)).toEqual([]);
  });

  it('takes the domain of an email, lower case', () => {
    expect(emailDomain('Pat@Eng.Acme.Example')).toBe('eng.acme.example');
    expect(emailDomain('odd"@"name@acme.example')).toBe('acme.example');
  });
});

describe('Validator', () => {
  it('names every failing field once in one BAD_USER_INPUT', () => {
    const v = new Validator().check(false, 'a', 'first').check(true, 'b', 'fine').check(false, 'a', 'second').check(false, 'c', 'third');
    expect(() => v.throwIfInvalid()).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', fields: ['a', 'c'] }));
    expect(() => new Validator().check(true, 'a', 'ok').throwIfInvalid()).not.toThrow(DomainError);
  });
});
