import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';

/**
 * Backup and restore of the embedded default's data directory (SES_DATA_DIR): the SQLite event
 * store, the read models and every other SQLite file (e.g. the command index), and the small
 * plain files beside them (the generated signing key, the active read-model generation).
 *
 * Consistent while the apps run:
 * - each SQLite file is copied with SQLite's online backup (better-sqlite3 `db.backup()`), in
 *   one step, so the copy is one snapshot of that file (a WAL reader: writers are not blocked);
 * - the event store is copied last. Everything else is derived from the log and records the log
 *   position it has reached; copied first, it can only be behind the copied log, never ahead, so
 *   after a restore each consumer resumes from its checkpoint and catches up (ahead would mean
 *   positions it believes applied that the restored log hands out again to other events).
 */

export const MANIFEST = 'ses-backup.json';
export const EVENT_STORE_FILE = 'events.sqlite';

export interface BackupFile {
  name: string;
  kind: 'sqlite' | 'file';
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: 1;
  createdAt: string;
  dataDir: string;
  /** Global position of the newest event in the copied event store (-1 when empty or absent). */
  eventStoreHead: string;
  files: BackupFile[];
}

const SQLITE_SIDE_FILES = /-(wal|shm|journal)$/;

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function isSqlite(file: string): boolean {
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}

/** What a data directory holds, in backup order: plain files, derived SQLite stores, the event store last. */
function planOf(dataDir: string): { name: string; kind: 'sqlite' | 'file' }[] {
  const entries = readdirSync(dataDir, { withFileTypes: true }).filter(
    (entry) => entry.isFile() && !SQLITE_SIDE_FILES.test(entry.name) && !entry.name.endsWith('.tmp') && entry.name !== MANIFEST,
  );
  const plan = entries.map((entry) => ({ name: entry.name, kind: isSqlite(join(dataDir, entry.name)) ? ('sqlite' as const) : ('file' as const) }));
  const rank = (item: { name: string; kind: string }) => (item.name === EVENT_STORE_FILE ? 2 : item.kind === 'sqlite' ? 1 : 0);
  return plan.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** One consistent copy of a live SQLite file, made self-contained (rollback journal mode: one file, no -wal). */
async function copySqlite(source: string, target: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // The first step only starts the backup; the second copies every page at once (one read snapshot).
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const copy = new Database(target);
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`${basename(target)}: integrity check of the copy failed: ${String(check)}`);
  } finally {
    copy.close();
  }
}

function headOf(eventsFile: string): string {
  if (!existsSync(eventsFile)) return '-1';
  const db = new Database(eventsFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT max(position) AS head FROM events').get() as { head: number | null } | undefined;
    return String(row?.head ?? -1);
  } catch {
    return '-1';
  } finally {
    db.close();
  }
}

/**
 * Copies `dataDir` into the new directory `to` (refused if it exists). Written under
 * `<to>.partial` and renamed at the end: a directory named `to` is always a complete backup.
 */
export async function backupDataDir(dataDir: string, to: string, log: (line: string) => void = () => undefined): Promise<BackupManifest> {
  if (!existsSync(dataDir)) throw new Error(`no data directory at ${dataDir} (SES_DATA_DIR)`);
  if (existsSync(to)) throw new Error(`${to} exists: back up into a new directory`);
  const partial = `${to}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const files: BackupFile[] = [];
  try {
    for (const item of planOf(dataDir)) {
      const source = join(dataDir, item.name);
      const target = join(partial, item.name);
      const startedAt = Date.now();
      if (item.kind === 'sqlite') await copySqlite(source, target);
      else copyFileSync(source, target);
      if (item.name.endsWith('.pem')) chmodSync(target, 0o600);
      files.push({ name: item.name, kind: item.kind, bytes: statSync(target).size, sha256: await sha256Of(target) });
      log(`copied ${item.name} (${item.kind}, ${statSync(target).size} bytes, ${Date.now() - startedAt} ms)`);
    }
    const manifest: BackupManifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      dataDir,
      eventStoreHead: headOf(join(partial, EVENT_STORE_FILE)),
      files,
    };
    writeFileSync(join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(partial, to);
    return manifest;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Puts a backup into `to`, a data directory that must not exist yet or be empty (never over
 * live data). Checks every file against the manifest and every SQLite file's integrity first,
 * so a damaged backup is refused before anything is written.
 */
export async function restoreDataDir(from: string, to: string, log: (line: string) => void = () => undefined): Promise<BackupManifest> {
  const manifestFile = join(from, MANIFEST);
  if (!existsSync(manifestFile)) throw new Error(`${from} is not a backup (no ${MANIFEST})`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== 1) throw new Error(`unknown backup format ${String(manifest.format)}`);
  if (existsSync(to) && readdirSync(to).length > 0)
    throw new Error(`${to} is not empty: restore into a new or empty directory (stop the apps, move the old one aside)`);
  for (const file of manifest.files) {
    const source = join(from, file.name);
    if (!existsSync(source)) throw new Error(`${file.name} is missing from the backup`);
    if ((await sha256Of(source)) !== file.sha256) throw new Error(`${file.name} does not match the backup's manifest (changed or damaged)`);
    if (file.kind === 'sqlite') {
      const db = new Database(source, { readonly: true, fileMustExist: true });
      try {
        const check = db.pragma('integrity_check', { simple: true });
        if (check !== 'ok') throw new Error(`${file.name}: integrity check failed: ${String(check)}`);
      } finally {
        db.close();
      }
    }
  }
  mkdirSync(to, { recursive: true });
  for (const file of manifest.files) {
    copyFileSync(join(from, file.name), join(to, file.name));
    if (file.name.endsWith('.pem')) chmodSync(join(to, file.name), 0o600);
    log(`restored ${file.name}`);
  }
  return manifest;
}
