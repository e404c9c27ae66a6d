import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSigningKey, SIGNING_KEY_FILE } from './signing-key';

describe('loadSigningKey (embedded default)', () => {
  it('creates the key once, leaves no draft behind, and every later load gets the same key', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signing-key-'));
    const first = loadSigningKey({ dataDir });
    expect(loadSigningKey({ dataDir }).kid).toBe(first.kid);
    expect(readdirSync(dataDir)).toEqual([SIGNING_KEY_FILE]);
  });
});
