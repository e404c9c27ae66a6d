import { describe, expect, it } from '@jest/globals';
import { ERROR_MESSAGES } from '../api/errors';
import { outcomesOf, parseImport, toBulkInput } from './bulk-import';

const groups = [{ id: 'g-1', name: 'Designers' }];

describe('CSV import of users (registerUsers)', () => {
  it('given the contract columns in any order and case, reads roles by name or label and groups by name or id', () => {
    const parsed = parseImport(
      '\uFEFFDisplayName,EMAIL,roles,groups,country\r\nAda,ada@x.example,Auditor; software_download,designers;g-2,gb\r\nBob,bob@x.example,,,\r\n',
      groups,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.problems).toEqual([]);
    expect(toBulkInput(parsed.rows)).toEqual([
      { email: 'ada@x.example', displayName: 'Ada', country: 'GB', roles: ['AUDITOR', 'SOFTWARE_DOWNLOAD'], groupIds: ['g-1', 'g-2'] },
      { email: 'bob@x.example', displayName: 'Bob', country: undefined, roles: [], groupIds: [] },
    ]);
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it('given an unknown role, that row alone becomes a problem and is not sent', () => {
    const parsed = parseImport('email,displayName,roles\na@x.example,A,BOSS\nb@x.example,B,AUDITOR\n', groups);
    expect(parsed.ok && parsed.rows.map((r) => r.email)).toEqual(['b@x.example']);
    expect(parsed.ok && parsed.problems).toEqual([{ line: 2, email: 'a@x.example', message: expect.stringContaining('Unknown role BOSS') }]);
  });

  it('refuses a file without the required columns, without users, or over 10,000 users', () => {
    expect(parseImport('', groups)).toEqual({ ok: false, message: expect.stringContaining('empty') });
    expect(parseImport('mail,name\na,b', groups)).toEqual({ ok: false, message: expect.stringContaining('email and displayName is missing') });
    expect(parseImport('email,displayName\n', groups)).toEqual({ ok: false, message: expect.stringContaining('no users') });
    const big = ['email,displayName', ...Array.from({ length: 10_001 }, (_, i) => `u${i}@x.example,U`)].join('\n');
    expect(parseImport(big, groups)).toEqual({ ok: false, message: expect.stringContaining('at most 10,000') });
  });

  it('joins the API results (by row index of what was sent) and the problems back into file order, in words', () => {
    const parsed = parseImport('email,displayName,roles\nbad,A,\nb@x.example,B,BOSS\nc@x.example,C,\n', groups);
    if (!parsed.ok) throw new Error('parsed');
    const outcomes = outcomesOf(
      parsed.rows,
      parsed.problems,
      [
        { row: 0, userId: null, errorCode: 'BAD_USER_INPUT', errorMessage: 'invalid email' },
        { row: 1, userId: null, errorCode: null, errorMessage: null },
      ],
      true,
    );
    expect(outcomes.map((o) => [o.line, o.email, o.ok, o.message])).toEqual([
      [2, 'bad', false, `${ERROR_MESSAGES.BAD_USER_INPUT} Invalid email.`],
      [3, 'b@x.example', false, expect.stringContaining('Unknown role BOSS')],
      [4, 'c@x.example', true, 'Would be registered'],
    ]);
  });
});
