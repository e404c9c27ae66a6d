import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from './create-event-store';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

describe('createEventStore', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'ses-create-event-store-')), 'data');
  });

  afterEach(() => {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it.each([undefined, '', '  '])('opens the embedded SQLite store in the data directory when the url is %p', async (url) => {
    const store = createEventStore({ url, dataDir });
    try {
      expect(store).toBeInstanceOf(SqliteEventStore);
      expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it.each(['esdb://localhost:2113?tls=false', 'kurrentdb://localhost:2113?tls=false'])('opens EventStoreDB for %s', async (url) => {
    const store = createEventStore({ url, dataDir });
    try {
      expect(store).toBeInstanceOf(EsdbEventStore);
    } finally {
      await store.close();
    }
  });

  it('refuses any other url with a clear message', () => {
    expect(() => createEventStore({ url: 'mongodb://localhost:27017', dataDir })).toThrow(/unsupported event store URL "mongodb:\/\/localhost:27017"/);
  });
});
