// `npm run restore -- --from BACKUP [--to DIR]`: puts a backup made by `npm run backup` into a
// data directory that does not exist yet or is empty (default: SES_DATA_DIR). Stop the apps
// first; start them on the restored directory afterwards. Every file is checked against the
// backup's manifest and every SQLite file's integrity before anything is written.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
// The configuration alone (not the whole platform library with Nest and GraphQL): the script starts in a fraction of the time.
import { loadConfig } from '../libs/platform/src/config';
import { restoreDataDir } from './backup/data-dir-backup';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
  if (!values.from) {
    process.stderr.write('usage: npm run restore -- --from <backup directory> [--to <data directory, default SES_DATA_DIR>]\n');
    process.exit(2);
  }
  const to = values.to ? resolve(values.to) : loadConfig().dataDir;
  const manifest = await restoreDataDir(resolve(values.from), to, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify({ restored: to, eventStoreHead: manifest.eventStoreHead, createdAt: manifest.createdAt })}\n`);
}

main().catch((error) => {
  process.stderr.write(`restore failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
