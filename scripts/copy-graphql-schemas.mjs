// Part of `npm run build`. tsc compiles TypeScript only: this copies each app's SDL
// (apps/*/src/graphql/schema/*.graphql), which the app reads at start-up, beside its compiled
// code in dist/ (and so into the Docker image). Node's fs does it in a few lines; a copy tool
// is not worth a dependency. The target is emptied first so that a removed file is not served.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

for (const app of readdirSync('apps')) {
  const from = join('apps', app, 'src', 'graphql', 'schema');
  if (!existsSync(from)) continue;
  const to = join('dist', from);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}
