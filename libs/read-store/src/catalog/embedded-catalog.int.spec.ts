import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedReadStoreCatalog } from './embedded-catalog';
import { INITIAL_GENERATION, newGenerationName } from './read-store-catalog.port';

describe('EmbeddedReadStoreCatalog', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'catalog-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the initial generation from read-models.sqlite until another is activated', async () => {
    const catalog = new EmbeddedReadStoreCatalog(dir);
    expect(await catalog.active()).toBe(INITIAL_GENERATION);
    const initial = await catalog.open(INITIAL_GENERATION);
    await initial.commit('p', 1n, [{ kind: 'upsert', collection: 'c', id: 'x', update: { $set: { v: 'old' } }, position: 1n }]);
    await initial.close();
    expect(existsSync(join(dir, 'read-models.sqlite'))).toBe(true);

    const next = newGenerationName();
    const rebuilt = await catalog.open(next);
    await rebuilt.commit('p', 1n, [{ kind: 'upsert', collection: 'c', id: 'x', update: { $set: { v: 'new' } }, position: 1n }]);
    await rebuilt.close();
    await catalog.activate(next);

    expect(await new EmbeddedReadStoreCatalog(dir).active()).toBe(next);
    const reopened = await catalog.open(await catalog.active());
    expect(await reopened.findOne('c', { _id: 'x' })).toEqual({ _id: 'x', v: 'new' });
    await reopened.close();
  });

  it('drops only generations that are not active', async () => {
    const catalog = new EmbeddedReadStoreCatalog(dir);
    const next = newGenerationName();
    await (await catalog.open(next)).close();
    await catalog.activate(next);
    await expect(catalog.drop(next)).rejects.toThrow(/active/);
    await (await catalog.open(INITIAL_GENERATION)).close();
    await catalog.drop(INITIAL_GENERATION);
    expect(existsSync(join(dir, 'read-models.sqlite'))).toBe(false);
  });

  it('refuses generation names that could escape the data directory', async () => {
    await expect(new EmbeddedReadStoreCatalog(dir).activate('../evil')).rejects.toThrow(/invalid/);
  });
});
