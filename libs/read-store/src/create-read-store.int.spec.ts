import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStore } from './create-read-store';
import { EmbeddedReadStore } from './embedded/embedded-read-store';

describe('createReadStore', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'ses-read-store-')), 'nested');
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('opens the embedded store at the default file when no URL is set', async () => {
    const store = await createReadStore({ dataDir });
    try {
      expect(store).toBeInstanceOf(EmbeddedReadStore);
      expect(existsSync(join(dataDir, 'read-models.sqlite'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('honours a file name and treats an empty URL as unset', async () => {
    const store = await createReadStore({ url: '', dataDir, fileName: 'other.sqlite' });
    await store.close();
    expect(existsSync(join(dataDir, 'other.sqlite'))).toBe(true);
  });

  it('rejects other URLs without echoing credentials', async () => {
    const attempt = createReadStore({ url: 'postgres://admin:secret@db/ses', dataDir });
    await expect(attempt).rejects.toThrow(/Unsupported read store URL \(postgres:\).*mongodb:\/\//);
    await expect(attempt).rejects.not.toThrow(/secret/);
  });
});
