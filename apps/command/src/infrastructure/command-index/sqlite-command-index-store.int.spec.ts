import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { lookupsContract } from '../lookups/lookups.contract';
import { COMMAND_INDEX_VERSION } from './command-index-store.port';
import { SqliteCommandIndexStore } from './sqlite-command-index-store';

const dir = mkdtempSync(join(tmpdir(), 'command-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

lookupsContract('SqliteCommandIndexStore', async (where) => new SqliteCommandIndexStore(join(dir, `${where}.sqlite`)));

describe('SqliteCommandIndexStore', () => {
  it('starts empty (to be rebuilt from the log) when the file holds another index version', async () => {
    const file = join(dir, 'versioned.sqlite');
    const store = new SqliteCommandIndexStore(file);
    await store.apply([{ kind: 'entity', entityId: 'u1', accountId: 'a1', position: 1n }], 1n);
    await store.close();
    const raw = new Database(file);
    raw.prepare("UPDATE meta SET value = ? WHERE key = 'version'").run(String(COMMAND_INDEX_VERSION - 1));
    raw.close();
    const reopened = new SqliteCommandIndexStore(file);
    expect(await reopened.checkpoint()).toBeNull();
    expect(await reopened.accountOf('u1')).toBeUndefined();
    await reopened.close();
  });

  it('finds due pools through the partial indexes of what is active (a tick does not scan the history)', () => {
    const file = join(dir, 'plan.sqlite');
    new SqliteCommandIndexStore(file).close().catch(() => undefined);
    const raw = new Database(file, { readonly: true });
    const plan = (sql: string) => (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('\n');
    expect(plan('SELECT account_id FROM sessions WHERE last_activity_ms IS NOT NULL AND last_activity_ms <= 5')).toMatch(
      /USING (COVERING )?INDEX sessions_due/,
    );
    expect(plan('SELECT account_id FROM checkouts WHERE expires_ms IS NOT NULL AND expires_ms <= 5')).toMatch(/USING (COVERING )?INDEX checkouts_due/);
    raw.close();
  });
});
