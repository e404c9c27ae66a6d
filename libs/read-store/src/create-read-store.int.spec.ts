import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStoreCatalog } from './catalog/create-read-store-catalog';
import { INITIAL_GENERATION } from './catalog/read-store-catalog.port';
import { createReadStore, readCacheBytes } from './create-read-store';
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

  describe('the embedded cache size', () => {
    const MiB = 2 ** 20;

    it('is SES_READ_CACHE_MB, else 128 MiB; an explicit size wins', () => {
      expect(readCacheBytes(undefined, {})).toBe(128 * MiB);
      expect(readCacheBytes(undefined, { SES_READ_CACHE_MB: ' 64 ' })).toBe(64 * MiB);
      expect(readCacheBytes(undefined, { SES_READ_CACHE_MB: '0' })).toBe(0);
      expect(readCacheBytes(32, { SES_READ_CACHE_MB: '64' })).toBe(32 * MiB);
    });

    it('refuses what is not a whole number of MiB, naming the variable', () => {
      for (const value of ['-1', '1.5', 'lots', '1e3']) expect(() => readCacheBytes(undefined, { SES_READ_CACHE_MB: value })).toThrow(/SES_READ_CACHE_MB/);
    });

    it('reaches the stores the factory and the catalog open', async () => {
      const store = await createReadStore({ dataDir, cacheMb: 3 });
      try {
        expect((store as EmbeddedReadStore).cacheUsage().maxBytes).toBe(3 * MiB);
      } finally {
        await store.close();
      }
      const catalog = await createReadStoreCatalog({ dataDir, cacheMb: 5 });
      const generation = await catalog.open(INITIAL_GENERATION);
      try {
        expect((generation as EmbeddedReadStore).cacheUsage().maxBytes).toBe(5 * MiB);
      } finally {
        await generation.close();
        await catalog.close();
      }
    });
  });
});
