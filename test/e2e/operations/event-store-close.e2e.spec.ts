import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');
const STORE_MODULE = join(ROOT, 'dist', 'libs', 'event-store', 'src', 'sqlite', 'sqlite-event-store.js');

// A script (bench, backup, rebuild) whose last work is closing the store must still run what
// follows the close: the commit worker is unref'd between batches, so a close that did not hold
// the event loop open ended the process before its promise settled, and nothing after it ran.
const child = `
const { SqliteEventStore } = require(${JSON.stringify(STORE_MODULE)});
(async () => {
  const store = new SqliteEventStore(process.argv[1]);
  await store.appendToStream('close-check-1', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'Probe', data: {}, metadata: {} }], 'no_stream');
  await store.close();
  process.stdout.write('after close');
})();
`;

describe('SQLite event store in a process of its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ses-store-close-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the code after close() before the process exits', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', child, join(dir, 'events.sqlite')], { timeout: 20_000 });
    expect(stdout).toBe('after close');
  });
});
