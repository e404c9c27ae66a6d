import { resolve } from 'node:path';

/** Settings of both apps, from the environment (run conventions in the contract README). */
export interface SesConfig {
  production: boolean;
  commandPort: number;
  queryPort: number;
  dataDir: string;
  eventStoreUrl?: string;
  readStoreUrl?: string;
  auth: { secret?: string; jwksUrl?: string; issuer?: string; audience?: string; usingDevelopmentSecret: boolean };
  signingKeyPem?: string;
  sessionTtlSeconds: number;
  /** How often the command app looks for sessions to time out and check-outs to expire. */
  timerIntervalMs: number;
  minPositionTimeoutMs: number;
  logLevel: string;
  /** The Analytics Portal (served by the query app at /portal/): the one origin the command app allows through CORS, and what the portal is told at run time. */
  portal: { origin: string; commandUrl?: string; clientId?: string };
}

export const DEVELOPMENT_AUTH_SECRET = 'ses-development-secret-do-not-use-in-production';

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return value;
}

/** An origin such as `https://portal.example.com` (scheme, host, optional port; no path). */
function originFrom(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let origin: string;
  try {
    origin = new URL(raw).origin;
  } catch {
    throw new ConfigError(`${name} must be an origin such as https://portal.example.com, got "${raw}"`);
  }
  if (origin === 'null' || origin !== raw.replace(/\/$/, ''))
    throw new ConfigError(`${name} must be an origin such as https://portal.example.com, got "${raw}"`);
  return origin;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): SesConfig {
  const production = env.NODE_ENV === 'production';
  const jwksUrl = env.SES_AUTH_JWKS_URL || undefined;
  let secret = env.SES_AUTH_SECRET || undefined;
  let usingDevelopmentSecret = false;
  if (!secret && !jwksUrl) {
    if (production) throw new ConfigError('SES_AUTH_SECRET (or SES_AUTH_JWKS_URL) is required when NODE_ENV=production');
    secret = DEVELOPMENT_AUTH_SECRET;
    usingDevelopmentSecret = true;
  }
  if (secret && secret.length < 32 && production) throw new ConfigError('SES_AUTH_SECRET must be at least 32 characters in production');
  const queryPort = intFrom(env, 'SES_QUERY_PORT', 4000, 0, 65535);
  return {
    production,
    commandPort: intFrom(env, 'SES_COMMAND_PORT', 3000, 0, 65535),
    queryPort,
    dataDir: resolve(env.SES_DATA_DIR || './data'),
    eventStoreUrl: env.SES_EVENT_STORE || undefined,
    readStoreUrl: env.SES_READ_STORE || undefined,
    auth: { secret, jwksUrl, issuer: env.SES_AUTH_ISSUER || undefined, audience: env.SES_AUTH_AUDIENCE || undefined, usingDevelopmentSecret },
    signingKeyPem: env.SES_SIGNING_KEY || undefined,
    sessionTtlSeconds: intFrom(env, 'SES_USAGE_SESSION_TTL_SECONDS', 900, 1, 7 * 24 * 3600),
    timerIntervalMs: intFrom(env, 'SES_TIMER_INTERVAL_MS', 1000, 10, 600_000),
    minPositionTimeoutMs: intFrom(env, 'SES_MIN_POSITION_TIMEOUT_MS', 5000, 0, 120_000),
    logLevel: env.SES_LOG_LEVEL || (env.NODE_ENV === 'test' ? 'warn' : 'info'),
    portal: {
      origin: originFrom(env, 'SES_PORTAL_ORIGIN', `http://localhost:${queryPort}`),
      commandUrl: env.SES_PORTAL_COMMAND_URL || undefined,
      clientId: env.SES_PORTAL_CLIENT_ID || undefined,
    },
  };
}

export const SES_CONFIG = Symbol('SES_CONFIG');
