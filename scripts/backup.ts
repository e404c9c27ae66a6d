// `npm run backup -- [--to DIR]`: a consistent copy of the embedded default's data directory
// (SES_DATA_DIR, default ./data) while the apps run: every SQLite file through SQLite's online
// backup, the event store last (see backup/data-dir-backup.ts). Default target: ./backups/ses-<UTC time>.
// EventStoreDB and MongoDB are backed up with their own tools (README, "Operations").
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// The configuration alone (not the whole platform library with Nest and GraphQL): the script starts in a fraction of the time.
import { loadConfig } from '../libs/platform/src/config';
import { backupDataDir } from './backup/data-dir-backup';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { to: { type: 'string' }, quiet: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const to = resolve(values.to ?? join('backups', `ses-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  if (config.eventStoreUrl) {
    process.stderr.write(
      'SES_EVENT_STORE is set: the events are in EventStoreDB, not in SES_DATA_DIR. Back it up with its own procedure (README, "Operations"); this copies only what SES_DATA_DIR holds.\n',
    );
  }
  if (config.readStoreUrl)
    process.stderr.write('SES_READ_STORE is set: the read models are in MongoDB (mongodump, README "Operations"), not in this backup.\n');
  const log = values.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`);
  const manifest = await backupDataDir(config.dataDir, to, log);
  process.stdout.write(`${JSON.stringify({ backup: to, eventStoreHead: manifest.eventStoreHead, files: manifest.files.map((f) => f.name) })}\n`);
}

main().catch((error) => {
  process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
