import { sign } from 'node:crypto';
import type { SigningKey } from './signing-key';

/** The Standard Webhooks headers of one delivery attempt. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs a webhook message as the Standard Webhooks specification's asymmetric scheme
 * `v1a` says: an Ed25519 signature over `${id}.${timestamp}.${body}` (body byte for byte as
 * sent), base64, prefixed `v1a,`. The key is the service's signing key, so receivers
 * verify with the public key that `signingKeys` lists and no shared secret exists.
 *
 * Signed with node:crypto rather than a library: the reference implementation on npm
 * (`standardwebhooks` 1.1.1, and `svix`) implements only the symmetric `v1` scheme
 * (HMAC-SHA256 with a shared secret), and the message format is one line of the spec.
 */
export function signWebhook(key: Pick<SigningKey, 'privateKey'>, id: string, timestampSeconds: number, body: string): WebhookHeaders {
  const timestamp = String(Math.floor(timestampSeconds));
  const signature = sign(null, Buffer.from(`${id}.${timestamp}.${body}`, 'utf8'), key.privateKey).toString('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1a,${signature}` };
}
