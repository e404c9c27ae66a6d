// Builds the Analytics Portal into dist/portal, which the query app serves at /portal/.
// JSX is compiled by Vite's own Oxc transform (automatic runtime): no plugin is needed
// for a production build (@vitejs/plugin-react adds only Fast Refresh for `vite dev`).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/portal/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/portal', import.meta.url)),
    emptyOutDir: true,
    // .vite/manifest.json: which chunks a page loads (bench/portal measures the initial JavaScript from it).
    manifest: true,
    target: 'es2022',
    // Charts (Recharts) are loaded only by the pages that draw them; keep the warning meaningful.
    chunkSizeWarningLimit: 600,
    reportCompressedSize: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Mantine marks its modules "use client" (for React Server Components); meaningless in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite apps/portal` during development: the query app (npm start) answers /graphql and /portal/config.json.
    proxy: {
      '/graphql': { target: 'http://localhost:4000', ws: true },
      '/portal/config.json': 'http://localhost:4000',
    },
  },
});
