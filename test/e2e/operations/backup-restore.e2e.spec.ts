import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { AppProcess } from '../../support/app-process';
import { gql, ok } from '../../support/graphql-client';
import { M, openAccount, Q, uniqueEmail } from '../../support/scenario';
import { SesStack, TEST_SECRET } from '../../support/ses-stack';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const script = (name: string) => join(ROOT, 'dist', 'scripts', `${name}.js`);

interface LogRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

/** The global log as stored, up to `head` (read-only, from the test process). */
function logOf(dataDir: string, head = Number.MAX_SAFE_INTEGER): LogRow[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT position, event_id, stream_id, revision, type, data, metadata FROM events WHERE position <= ? ORDER BY position')
      .all(head) as LogRow[];
  } finally {
    db.close();
  }
}

/**
 * `npm run backup` / `npm run restore` on the embedded default (issue 13): a backup taken while
 * commands keep coming is one consistent snapshot; restored into a fresh directory, both apps
 * start on it and answer what that snapshot holds, and take new commands.
 */
describe('operations: backup while the apps run, restore into a fresh directory', () => {
  let stack: SesStack;
  const dirs: string[] = [];
  const started: AppProcess[] = [];
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(started.map((app) => app.stop().catch(() => undefined)));
    await stack?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  it('backs up a consistent snapshot while commands are appended, and the restored apps answer the same', async () => {
    const account = await openAccount(stack);
    // Commands keep coming, one after the other, for as long as the backup runs.
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        await ok(
          stack.mutate(account.adminToken, M.registerUser, { input: { accountId: account.accountId, email: uniqueEmail('busy'), displayName: 'Busy' } }),
        );
        writes += 1;
      }
    })();
    const backups = tempDir('ses-backups-');
    const target = join(backups, 'snapshot');
    let output: string;
    try {
      while (writes < 3) await new Promise((resolve) => setTimeout(resolve, 20));
      const before = writes;
      output = (await run(process.execPath, [script('backup'), '--to', target], { env: { ...process.env, SES_DATA_DIR: stack.dataDir } })).stdout;
      // The writer was not held up: it went on appending while the backup ran.
      while (writes < before + 3) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      writing = false;
      await writer;
    }
    const summary = JSON.parse(output);
    expect(summary.backup).toBe(target);
    expect(summary.files).toEqual(expect.arrayContaining(['events.sqlite', 'read-models.sqlite', 'signing-key.pem']));
    // The event store is copied last (what is derived from it may only be behind it).
    expect(summary.files[summary.files.length - 1]).toBe('events.sqlite');
    const head = Number(summary.eventStoreHead);
    const original = logOf(stack.dataDir);
    expect(original.length).toBeGreaterThan(head);

    // The backup is exactly the log up to its head: no gap, no half-written batch, nothing after.
    const restoredDir = join(tempDir('ses-restored-'), 'data');
    await run(process.execPath, [script('restore'), '--from', target, '--to', restoredDir], { env: { ...process.env } });
    expect(logOf(restoredDir)).toEqual(logOf(stack.dataDir, head));
    expect(readFileSync(join(restoredDir, 'signing-key.pem'), 'utf8')).toBe(readFileSync(join(stack.dataDir, 'signing-key.pem'), 'utf8'));

    // Both apps start on the restored directory and answer what the snapshot holds.
    const env = { SES_DATA_DIR: restoredDir, SES_AUTH_SECRET: TEST_SECRET };
    const [command, query] = await AppProcess.startBoth(env);
    started.push(command, query);
    const read = (token: string, queryText: string, variables: Record<string, unknown> = {}, minPosition?: string) =>
      ok(gql(query.url, token, queryText, variables, minPosition ? { 'x-ses-min-position': minPosition } : {}));
    const registeredInSnapshot = logOf(restoredDir)
      .filter((row) => row.type === 'UserRegistered' && JSON.parse(row.data).accountId === account.accountId)
      .map((row) => JSON.parse(row.data).userId as string);
    const restoredAccount = (await read(account.adminToken, Q.account, { id: account.accountId }, String(head))).account;
    expect(restoredAccount.users.map((u: { id: string }) => u.id).sort()).toEqual([...registeredInSnapshot].sort());
    expect(restoredAccount.users.length).toBeGreaterThanOrEqual(1 + 3);
    expect((await read(account.adminToken, `query($id: ID!) { verifyHistory(accountId: $id) { ok } }`, { id: account.accountId })).verifyHistory).toEqual({
      ok: true,
    });
    // The same signing key: licenses signed before the backup verify after the restore.
    const keys = async (url: string) => (await ok(gql(url, account.adminToken, '{ signingKeys { kid } }'))).signingKeys;
    expect(await keys(query.url)).toEqual(await keys(stack.query.url));

    // And the restored service takes new commands, its hash chains continuing.
    const next = (
      await ok(
        gql(command.url, account.adminToken, M.registerUser, { input: { accountId: account.accountId, email: uniqueEmail('after'), displayName: 'After' } }),
      )
    ).registerUser;
    expect(Number(next.position)).toBeGreaterThan(head);
    const after = (await read(account.adminToken, Q.account, { id: account.accountId }, next.position)).account;
    expect(after.users.map((u: { id: string }) => u.id)).toContain(next.userId);
    expect((await read(account.adminToken, `query($id: ID!) { verifyHistory(accountId: $id) { ok } }`, { id: account.accountId })).verifyHistory.ok).toBe(true);
  });

  it('refuses to restore over a directory that holds data, and to back up into one that exists', async () => {
    const target = join(tempDir('ses-backups-'), 'b');
    await run(process.execPath, [script('backup'), '--to', target, '--quiet'], { env: { ...process.env, SES_DATA_DIR: stack.dataDir } });
    const overLive = run(process.execPath, [script('restore'), '--from', target, '--to', stack.dataDir], { env: { ...process.env } });
    await expect(overLive).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('is not empty') });
    const again = run(process.execPath, [script('backup'), '--to', target], { env: { ...process.env, SES_DATA_DIR: stack.dataDir } });
    await expect(again).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('exists') });
    expect(readdirSync(target)).toContain('ses-backup.json');
  });

  it('refuses a damaged backup before writing anything', async () => {
    const target = join(tempDir('ses-backups-'), 'b');
    await run(process.execPath, [script('backup'), '--to', target, '--quiet'], { env: { ...process.env, SES_DATA_DIR: stack.dataDir } });
    const db = new Database(join(target, 'events.sqlite'));
    db.prepare('DELETE FROM events WHERE position = (SELECT max(position) FROM events)').run();
    db.close();
    const restoredDir = join(tempDir('ses-restored-'), 'data');
    const restore = run(process.execPath, [script('restore'), '--from', target, '--to', restoredDir], { env: { ...process.env } });
    await expect(restore).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('does not match') });
    expect(() => readdirSync(restoredDir)).toThrow();
  });
});
