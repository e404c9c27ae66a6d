import { existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

/** Where `npm run build` puts the portal (Vite's outDir): dist/portal beside dist/apps. */
export const DEFAULT_PORTAL_DIR = resolve(__dirname, '..', '..', '..', '..', 'portal');

export type PortalAnswer =
  { kind: 'redirect'; location: string } | { kind: 'file'; path: string; cache: 'immutable' | 'revalidate' } | { kind: 'not-built' } | { kind: 'not-found' };

/**
 * What GET <path> under /portal answers: a built file, the SPA's index.html for client-side
 * routes (HTML5 history fallback), or 404 for a missing asset. Paths that would leave the
 * portal directory are never files (express' sendFile refuses them again).
 */
export function resolvePortalPath(dir: string, urlPath: string): PortalAnswer {
  if (urlPath === '/portal') return { kind: 'redirect', location: '/portal/' };
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return { kind: 'not-built' };
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.replace(/^\/portal\/?/, ''));
  } catch {
    return { kind: 'not-found' };
  }
  if (relative === '' || relative === 'index.html') return { kind: 'file', path: index, cache: 'revalidate' };
  const root = resolve(dir);
  const candidate = resolve(root, relative);
  if (!candidate.startsWith(root + sep) || relative.split('/').some((part) => part.startsWith('.'))) return { kind: 'not-found' };
  if (isFile(candidate)) return { kind: 'file', path: candidate, cache: relative.startsWith('assets/') ? 'immutable' : 'revalidate' };
  // A missing asset is a 404 (a stale page asking for an old chunk must fail, not get HTML); anything else is a route of the SPA.
  if (relative.startsWith('assets/') || extname(relative) !== '') return { kind: 'not-found' };
  return { kind: 'file', path: index, cache: 'revalidate' };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
