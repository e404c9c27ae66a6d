// `npm run projections:rebuild`: rebuilds every read model from the global log into a
// fresh generation and activates it; a running query app switches to it without
// downtime. Uses the same configuration as the apps (SES_EVENT_STORE, SES_READ_STORE,
// SES_DATA_DIR), so it works on the embedded stores and on EventStoreDB + MongoDB.
import { createEventStore } from '@ses/event-store';
import { loadConfig } from '@ses/platform';
import { createReadStoreCatalog } from '@ses/read-store';
import { ALL_PROJECTIONS } from '../apps/query/src/projections/all-projections';
import { rebuildReadModels } from '../apps/query/src/read-models/rebuild';

async function main(): Promise<void> {
  const config = loadConfig();
  const events = createEventStore({ url: config.eventStoreUrl, dataDir: config.dataDir });
  const catalog = await createReadStoreCatalog({ url: config.readStoreUrl, dataDir: config.dataDir });
  try {
    const result = await rebuildReadModels(events, catalog, ALL_PROJECTIONS);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await catalog.close();
    await events.close();
  }
}

main().catch((error) => {
  process.stderr.write(`projections:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
