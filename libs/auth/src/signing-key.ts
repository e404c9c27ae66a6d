import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Ed25519 key that signs licenses and policies; `kid` names it in JWS headers and in signingKeys. */
export interface SigningKey {
  kid: string;
  alg: 'EdDSA';
  privateKey: KeyObject;
  publicKeyPem: string;
}

export const SIGNING_KEY_FILE = 'signing-key.pem';

/**
 * SES_SIGNING_KEY (PKCS#8 PEM) when configured; otherwise one key generated into
 * SES_DATA_DIR the first time and reused by both apps and every restart. Creation is
 * atomic and exclusive, so two apps starting at once end up with the same key.
 */
export function loadSigningKey(options: { pem?: string; dataDir: string }): SigningKey {
  const pem = options.pem ?? readOrCreate(options.dataDir);
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`SES_SIGNING_KEY must be an Ed25519 private key, got ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(spki).digest('base64url').slice(0, 22);
  return { kid, alg: 'EdDSA', privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function readOrCreate(dataDir: string): string {
  const file = join(dataDir, SIGNING_KEY_FILE);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  // Written whole under a private name, then linked into place: link() is atomic and fails if the
  // file exists, so the other app never reads a half-written key (it did, with an exclusive open).
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  // Whoever won the race wrote the file; everyone uses that one.
  return readFileSync(file, 'utf8');
}
