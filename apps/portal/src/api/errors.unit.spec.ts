import { describe, expect, it } from '@jest/globals';
import { describeCode, describeError, ERROR_MESSAGES } from './errors';

const CONTRACT_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'EMAIL_ALREADY_REGISTERED',
  'LAST_ADMINISTRATOR',
  'NOT_ENTITLED',
  'CHECKOUT_NOT_ALLOWED',
  'CHECKOUT_TOO_LONG',
  'ALREADY_CHECKED_OUT',
  'NO_SEATS_AVAILABLE',
  'CHECKOUT_NOT_ACTIVE',
  'SESSION_NOT_ACTIVE',
  'USER_DEACTIVATED',
  'CONCURRENCY_CONFLICT',
  'NOT_CAUGHT_UP',
  'DOMAIN_ALREADY_CLAIMED',
  'REGISTRATION_PENDING',
  'REGISTRATION_NOT_PENDING',
  // This service's additions.
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
];

describe('API errors in words', () => {
  it('has a message for every error code of the contract', () => {
    for (const code of CONTRACT_CODES) expect(ERROR_MESSAGES[code]).toMatch(/\w+ \w+/);
  });

  it('given a GraphQL error with a code, shows the words for the code, never the raw error', () => {
    const described = describeError({ graphQLErrors: [{ message: 'email x@y.z is already registered', extensions: { code: 'EMAIL_ALREADY_REGISTERED' } }] });
    expect(described).toEqual({ code: 'EMAIL_ALREADY_REGISTERED', message: ERROR_MESSAGES.EMAIL_ALREADY_REGISTERED });
  });

  it('given bad input, adds the server sentence and the fields it names', () => {
    const described = describeError({ graphQLErrors: [{ message: 'from must be before to', extensions: { code: 'BAD_USER_INPUT', fields: ['from', 'to'] } }] });
    expect(described.message).toBe('Some of the values entered are not valid. From must be before to. (check: from, to)');
  });

  it('given an unknown code or no answer at all, says so in words', () => {
    expect(describeError({ graphQLErrors: [{ message: '{"weird":1}', extensions: { code: 'SOMETHING_NEW' } }] }).message).not.toContain('{');
    expect(describeError({ networkError: new Error('Failed to fetch') }).code).toBe('NETWORK');
    expect(describeError({ networkError: new Error('401'), response: { status: 401 } }).code).toBe('UNAUTHENTICATED');
    expect(describeError(undefined).message).toMatch(/went wrong/);
  });

  it('lets a page put its own words on a code where it knows better', () => {
    const error = { graphQLErrors: [{ message: 'no account has claimed the email domain x.y', extensions: { code: 'NOT_FOUND' } }] };
    expect(describeError(error, { NOT_FOUND: 'Nobody claims your domain.' })).toEqual({ code: 'NOT_FOUND', message: 'Nobody claims your domain.' });
    expect(describeError(error).message).toBe(ERROR_MESSAGES.NOT_FOUND);
  });

  it('describes one code with the server sentence where it helps (a failed row of a bulk registration)', () => {
    expect(describeCode('EMAIL_ALREADY_REGISTERED', 'this email is already registered')).toBe(ERROR_MESSAGES.EMAIL_ALREADY_REGISTERED);
    expect(describeCode('BAD_USER_INPUT', 'invalid email')).toBe('Some of the values entered are not valid. Invalid email.');
    expect(describeCode('FORBIDDEN', 'you may not grant ACCOUNT_ADMINISTRATOR', [], ['FORBIDDEN'])).toBe(
      `${ERROR_MESSAGES.FORBIDDEN} You may not grant ACCOUNT_ADMINISTRATOR.`,
    );
  });
});
