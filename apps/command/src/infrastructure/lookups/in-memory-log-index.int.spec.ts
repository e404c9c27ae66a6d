import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ses/event-store';
import { InMemoryLogIndex } from './in-memory-log-index';
import { lookupsContract } from './lookups.contract';

lookupsContract(
  'InMemoryLogIndex',
  async () => new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'lookups-')), 'events.sqlite'), { pollIntervalMs: 10 }),
  async (store) => {
    const index = new InMemoryLogIndex(store);
    await index.start();
    return { lookups: index, close: () => index.stop() };
  },
);
