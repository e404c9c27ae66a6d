import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ok, type GraphQLResponse } from './graphql-client';
import { Q } from './scenario';
import type { SesStack } from './ses-stack';

/** Reading an account's history and the global log, and proving that a failed command appended nothing. */

export interface RecordedEvent {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  occurredAt: string;
  data: Record<string, any>;
  metadata: Record<string, any>;
}

/**
 * The global log as the embedded event store holds it (the system of record that
 * auditors read directly): its event count and last position. Read-only, from the
 * test process, so it sees internal streams (email reservations) too.
 */
export function globalLog(stack: SesStack): { count: number; head: string } {
  const db = new Database(join(stack.dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT COUNT(*) AS count, COALESCE(MAX(position), 0) AS head FROM events').get() as { count: number; head: number };
    return { count: row.count, head: String(row.head) };
  } finally {
    db.close();
  }
}

/** How many events of each type the global log holds. */
export function globalTypeCounts(stack: SesStack): Record<string, number> {
  const db = new Database(join(stack.dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT type, COUNT(*) AS count FROM events GROUP BY type').all() as { type: string; count: number }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.count]));
  } finally {
    db.close();
  }
}

/** Every event of the account as the operator sees it, once the read side has caught up with the whole log. */
export async function fullHistory(stack: SesStack, accountId: string, token?: string): Promise<RecordedEvent[]> {
  const reader = token ?? (await stack.operatorToken());
  const { head } = globalLog(stack);
  const data = await ok(stack.read(reader, Q.history, { id: accountId, first: 1000 }, head));
  expect(data.eventHistory.nextCursor).toBeNull();
  return data.eventHistory.events;
}

/**
 * Runs a command that must fail with `code` (and name `fields`), and proves it appended
 * nothing: the global log is unchanged and so is every given account's eventHistory.
 */
export async function expectRejected(
  stack: SesStack,
  accountIds: string[],
  attempt: () => Promise<GraphQLResponse>,
  /** The expected extensions.code (or an asymmetric matcher, e.g. FORBIDDEN or NOT_FOUND). */
  code: unknown,
  fields?: string[],
): Promise<GraphQLResponse> {
  const logBefore = globalLog(stack);
  const before = await Promise.all(accountIds.map((id) => fullHistory(stack, id)));
  const res = await attempt();
  expect({ code: res.errors?.[0]?.extensions?.code, message: res.errors?.[0]?.message }).toEqual({ code, message: expect.any(String) });
  if (fields) expect(res.errors?.[0]?.extensions?.fields).toEqual(expect.arrayContaining(fields));
  // No partial data for the failed mutation.
  const first = res.data ? Object.values(res.data)[0] : null;
  expect(first ?? null).toBeNull();
  expect(globalLog(stack)).toEqual(logBefore);
  const after = await Promise.all(accountIds.map((id) => fullHistory(stack, id)));
  expect(after.map((events) => events.length)).toEqual(before.map((events) => events.length));
  expect(after).toEqual(before);
  return res;
}

/** Either answer hides whether an id exists in another account. */
export const HIDDEN = expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/);

export const ids = (list: { id: string }[]): string[] => list.map((x) => x.id).sort();
