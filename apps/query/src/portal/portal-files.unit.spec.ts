import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePortalPath } from './portal-files';

describe('serving the portal (resolvePortalPath)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portal-files-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<html></html>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), '');
    writeFileSync(join(dir, '.secret'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given /portal without a slash, redirects to /portal/', () => {
    expect(resolvePortalPath(dir, '/portal')).toEqual({ kind: 'redirect', location: '/portal/' });
  });

  it('serves index.html for the root and for client-side routes (HTML5 history fallback), to be revalidated', () => {
    for (const path of ['/portal/', '/portal/index.html', '/portal/a/acc-1/overview', '/portal/sign-in']) {
      expect(resolvePortalPath(dir, path)).toEqual({ kind: 'file', path: join(dir, 'index.html'), cache: 'revalidate' });
    }
  });

  it('serves hashed assets as immutable, and a missing asset as 404 (never as HTML)', () => {
    expect(resolvePortalPath(dir, '/portal/assets/index-abc.js')).toEqual({ kind: 'file', path: join(dir, 'assets', 'index-abc.js'), cache: 'immutable' });
    expect(resolvePortalPath(dir, '/portal/assets/index-old.js').kind).toBe('not-found');
    expect(resolvePortalPath(dir, '/portal/favicon.ico').kind).toBe('not-found');
  });

  it('never serves a file outside the portal directory or a dot file', () => {
    expect(resolvePortalPath(dir, '/portal/..%2F..%2Fetc%2Fpasswd').kind).toBe('not-found');
    expect(resolvePortalPath(dir, '/portal/%2e%2e/x.js').kind).toBe('not-found');
    expect(resolvePortalPath(dir, '/portal/.secret').kind).toBe('not-found');
    expect(resolvePortalPath(dir, '/portal/%E0%A4%A').kind).toBe('not-found');
  });

  it('says the portal is not built when it is not', () => {
    expect(resolvePortalPath(join(dir, 'nowhere'), '/portal/').kind).toBe('not-built');
  });
});
