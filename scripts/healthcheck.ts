// `node dist/scripts/healthcheck.js command|query`: exit 0 when the app's GET /health answers 200,
// 1 otherwise (within 4 s). For container health checks (docker-compose.yml) and exec probes:
// the image has no curl, and the port comes from the same configuration the app reads.
// The configuration alone (not the whole platform library with Nest and GraphQL): it runs every few seconds.
import { loadConfig } from '../libs/platform/src/config';

async function main(): Promise<void> {
  const app = process.argv[2];
  if (app !== 'command' && app !== 'query') {
    process.stderr.write('usage: node dist/scripts/healthcheck.js command|query\n');
    process.exit(2);
  }
  const config = loadConfig();
  const port = app === 'command' ? config.commandPort : config.queryPort;
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
  if (!res.ok) process.stderr.write(`${app} /health answered ${res.status}: ${(await res.text()).slice(0, 500)}\n`);
  process.exit(res.ok ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`healthcheck: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
