import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_RATE_LIMITS, loadConfig } from './config';

describe('loadConfig: operations settings', () => {
  it('limits requests by default, generously; SES_RATE_LIMIT=false or 0 switches limits off', () => {
    expect(loadConfig({}).rateLimit).toEqual(DEFAULT_RATE_LIMITS);
    expect(DEFAULT_RATE_LIMITS.perPrincipal / DEFAULT_RATE_LIMITS.windowSeconds).toBeGreaterThanOrEqual(50);
    expect(loadConfig({ SES_RATE_LIMIT: 'false' }).rateLimit).toMatchObject({ perPrincipal: 0, perAddress: 0 });
    expect(loadConfig({ SES_RATE_LIMIT_PER_PRINCIPAL: '0', SES_RATE_LIMIT_PER_ADDRESS: '7', SES_RATE_LIMIT_WINDOW_SECONDS: '60' }).rateLimit).toEqual({
      windowSeconds: 60,
      perPrincipal: 0,
      perAddress: 7,
    });
    expect(() => loadConfig({ SES_RATE_LIMIT_PER_PRINCIPAL: 'lots' })).toThrow(/SES_RATE_LIMIT_PER_PRINCIPAL/);
    expect(() => loadConfig({ SES_RATE_LIMIT: 'maybe' })).toThrow(/SES_RATE_LIMIT/);
  });

  it('serves /metrics by default, behind a bearer token when SES_METRICS_TOKEN is set', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ SES_METRICS: 'false', SES_METRICS_TOKEN: 't' }).metrics).toEqual({ enabled: false, token: 't' });
  });

  describe('the signing key', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ses-key-file-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads SES_SIGNING_KEY_FILE (e.g. a Docker secret)', () => {
      const file = join(dir, 'key.pem');
      writeFileSync(file, pem);
      expect(loadConfig({ SES_SIGNING_KEY_FILE: file }).signingKeyPem).toBe(pem);
    });

    it('refuses an unreadable file, and both variables at once, naming them', () => {
      expect(() => loadConfig({ SES_SIGNING_KEY_FILE: join(dir, 'missing.pem') })).toThrow(ConfigError);
      expect(() => loadConfig({ SES_SIGNING_KEY_FILE: join(dir, 'missing.pem') })).toThrow(/SES_SIGNING_KEY_FILE.*ENOENT/);
      expect(() => loadConfig({ SES_SIGNING_KEY: pem, SES_SIGNING_KEY_FILE: join(dir, 'x') })).toThrow(/not both/);
    });

    it('takes SES_SIGNING_KEY as given, or with its line breaks written as \\n on one line', () => {
      expect(loadConfig({ SES_SIGNING_KEY: pem }).signingKeyPem).toBe(pem);
      expect(loadConfig({ SES_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).signingKeyPem).toBe(pem);
    });
  });
});
