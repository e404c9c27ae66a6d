import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/** The chunks a module loads before it runs: itself and its static imports, transitively. */
function closure(manifest: Record<string, ManifestChunk>, keys: string[], seen = new Set<string>()): Set<string> {
  for (const key of keys) {
    if (seen.has(key) || !manifest[key]) continue;
    seen.add(key);
    closure(manifest, manifest[key].imports ?? [], seen);
  }
  return seen;
}

function sizes(dir: string, files: Iterable<string>): { bytes: number; gzipBytes: number } {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(dir, file));
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { bytes, gzipBytes };
}

const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

/**
 * Sizes of the built portal (dist/portal, from Vite's manifest), gzip level 9:
 * - initial: what index.html loads before anything shows (the entry chunk and its static imports);
 * - overview: what the Overview page needs on top (its chunk and imports, and the chart chunk it loads lazily);
 * - all: every chunk (each page is loaded only when visited).
 */
export function portalBundleSizes(dir: string): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  if (!entry) throw new Error('no entry in the portal manifest');
  const jsOf = (keys: Set<string>) => [...keys].map((key) => manifest[key].file);
  const cssOf = (keys: Set<string>) => [...new Set([...keys].flatMap((key) => manifest[key].css ?? []))];
  const initial = closure(manifest, [entry]);
  const overviewKey = Object.keys(manifest).find((key) => key.endsWith('pages/Overview.tsx'));
  const chartKey = Object.keys(manifest).find((key) => key.endsWith('charts/ConcurrencyChart.tsx'));
  const overview = closure(manifest, [...initial, ...(overviewKey ? [overviewKey] : []), ...(chartKey ? [chartKey] : [])]);
  const initialJs = sizes(dir, jsOf(initial));
  const initialCss = sizes(dir, cssOf(initial));
  const overviewJs = sizes(dir, jsOf(overview));
  const allJs = sizes(
    dir,
    Object.values(manifest).map((chunk) => chunk.file),
  );
  return {
    initialJsKB: kb(initialJs.bytes),
    initialJsGzipKB: kb(initialJs.gzipBytes),
    initialCssGzipKB: kb(initialCss.gzipBytes),
    overviewJsGzipKB: kb(overviewJs.gzipBytes),
    allJsGzipKB: kb(allJs.gzipBytes),
    chunks: Object.keys(manifest).length,
    targetInitialJsGzipKB: 300,
  };
}
