import Papa from 'papaparse';
import { describeCode } from '../api/errors';
import { ROLE_LABELS, ROLES, type Role } from '../app/viewer';

/** registerUsers takes 1 to 10,000 rows (onboarding extension). */
export const MAX_IMPORT_ROWS = 10_000;
/** The contract's columns for the portal's CSV import; roles and groups are separated by `;`. */
export const IMPORT_COLUMNS = ['email', 'displayName', 'country', 'roles', 'groups'] as const;
const REQUIRED = ['email', 'displayName'] as const;

/** A row of the file as sent to registerUsers (`line`: where it is in the file, the header being line 1). */
export interface ImportRow {
  line: number;
  email: string;
  displayName: string;
  country?: string;
  roles: Role[];
  groupIds: string[];
}

/** A row that cannot be sent at all (a role the API does not know): it fails alone, in the portal. */
export interface ImportProblem {
  line: number;
  email: string;
  message: string;
}

export type ParsedImport = { ok: true; rows: ImportRow[]; problems: ImportProblem[] } | { ok: false; message: string };

/** One line of a preview or an outcome. */
export interface ImportOutcome {
  line: number;
  email: string;
  displayName: string;
  ok: boolean;
  code: string | null;
  message: string;
  userId: string | null;
}

const ROLE_BY_NAME = new Map<string, Role>(ROLES.flatMap((role) => [[role.toLowerCase(), role] as const, [ROLE_LABELS[role].toLowerCase(), role] as const]));

const list = (cell: string | undefined): string[] =>
  (cell ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * Reads the import file: a header naming at least `email` and `displayName` (any order, any
 * case), then one user a line. Roles are their contract names or their labels; groups are
 * the account's group names or ids (an unknown one is sent as an id, and the API says why
 * the row fails). Rows are never dropped: each either goes to registerUsers or is a problem.
 */
export function parseImport(text: string, groups: readonly { id: string; name: string }[]): ParsedImport {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, '').trim(), { skipEmptyLines: 'greedy' });
  const [header = [], ...lines] = parsed.data;
  const index = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const missing = REQUIRED.filter((name) => !index.has(name.toLowerCase()));
  if (header.length === 0) return { ok: false, message: 'The file is empty. Its first line names the columns: email,displayName,country,roles,groups.' };
  if (missing.length > 0)
    return { ok: false, message: `The first line must name the columns ${IMPORT_COLUMNS.join(',')}: ${missing.join(' and ')} is missing.` };
  if (lines.length === 0) return { ok: false, message: 'The file has a header but no users.' };
  if (lines.length > MAX_IMPORT_ROWS)
    return {
      ok: false,
      message: `The file has ${lines.length.toLocaleString('en')} users; at most ${MAX_IMPORT_ROWS.toLocaleString('en')} can be imported at once. Split it.`,
    };

  const groupIdByName = new Map(groups.map((g) => [g.name.trim().toLowerCase(), g.id]));
  const cell = (line: string[], name: string) => {
    const i = index.get(name.toLowerCase());
    return i === undefined ? '' : (line[i] ?? '').trim();
  };
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  lines.forEach((line, i) => {
    const number = i + 2;
    const email = cell(line, 'email');
    const unknownRoles = list(cell(line, 'roles')).filter((r) => !ROLE_BY_NAME.has(r.toLowerCase()));
    if (unknownRoles.length > 0) {
      problems.push({ line: number, email, message: `Unknown role ${unknownRoles.join(', ')}: use ${ROLES.join(', ')}.` });
      return;
    }
    const country = cell(line, 'country').toUpperCase();
    rows.push({
      line: number,
      email,
      displayName: cell(line, 'displayName'),
      country: country || undefined,
      roles: [...new Set(list(cell(line, 'roles')).map((r) => ROLE_BY_NAME.get(r.toLowerCase())!))],
      groupIds: list(cell(line, 'groups')).map((g) => groupIdByName.get(g.toLowerCase()) ?? g),
    });
  });
  return { ok: true, rows, problems };
}

/** The rows as registerUsers' `users`. */
export function toBulkInput(rows: readonly ImportRow[]) {
  return rows.map(({ email, displayName, country, roles, groupIds }) => ({ email, displayName, country, roles, groupIds }));
}

/** Every line of the file with what happened (or would): the API's per-row results joined with the portal's own problems, in file order. */
export function outcomesOf(
  rows: readonly ImportRow[],
  problems: readonly ImportProblem[],
  results: readonly { row: number; userId: string | null; errorCode: string | null; errorMessage: string | null }[],
  dryRun: boolean,
): ImportOutcome[] {
  const outcomes: ImportOutcome[] = problems.map((p) => ({
    line: p.line,
    email: p.email,
    displayName: '',
    ok: false,
    code: 'BAD_USER_INPUT',
    message: p.message,
    userId: null,
  }));
  for (const result of results) {
    const row = rows[result.row];
    if (!row) continue;
    const ok = result.errorCode === null;
    outcomes.push({
      line: row.line,
      email: row.email,
      displayName: row.displayName,
      ok,
      code: result.errorCode,
      message: ok
        ? dryRun
          ? 'Would be registered'
          : 'Registered'
        : describeCode(result.errorCode ?? 'UNKNOWN', result.errorMessage ?? '', [], ['FORBIDDEN', 'NOT_FOUND']),
      userId: result.userId,
    });
  }
  return outcomes.sort((a, b) => a.line - b.line);
}

/** A file to start from: the header and one example line. */
export const IMPORT_TEMPLATE = `${IMPORT_COLUMNS.join(',')}\r\nada@example.com,Ada Lovelace,GB,SOFTWARE_DOWNLOAD,Designers\r\n`;
