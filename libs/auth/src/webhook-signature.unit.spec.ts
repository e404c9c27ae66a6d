import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSigningKey } from './signing-key';
import { signWebhook } from './webhook-signature';

describe('webhook signatures (Standard Webhooks, v1a: Ed25519)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ses-webhook-sig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = loadSigningKey({ dataDir: dir });
  const body = JSON.stringify({ type: 'AlertRaised', position: '42', data: { note: 'unicode: é ✓' } });

  /** The receiver's side, written from the specification alone: only node:crypto and the public key PEM that signingKeys lists. */
  const verifies = (publicKeyPem: string, headers: Record<string, string>, payload: string): boolean => {
    const message = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${payload}`;
    return headers['webhook-signature']
      .split(' ')
      .map((entry) => entry.split(','))
      .some(([version, signature]) => version === 'v1a' && verify(null, Buffer.from(message), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64')));
  };

  it('sends webhook-id, webhook-timestamp (whole Unix seconds) and a v1a signature the public key verifies', () => {
    const headers = signWebhook(key, 'msg_1', 1_770_000_000.9, body);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe('1770000000');
    expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(verifies(key.publicKeyPem, { ...headers }, body)).toBe(true);
  });

  it('does not verify with another body, id, timestamp or key', () => {
    const headers = { ...signWebhook(key, 'msg_1', 1_770_000_000, body) };
    expect(verifies(key.publicKeyPem, headers, body.replace('42', '43'))).toBe(false);
    expect(verifies(key.publicKeyPem, { ...headers, 'webhook-id': 'msg_2' }, body)).toBe(false);
    expect(verifies(key.publicKeyPem, { ...headers, 'webhook-timestamp': '1770000001' }, body)).toBe(false);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifies(other, headers, body)).toBe(false);
  });

  it('is deterministic (Ed25519): a retry at the same second sends the same signature', () => {
    expect(signWebhook(key, 'msg_1', 5, body)).toEqual(signWebhook(key, 'msg_1', 5, body));
  });
});
