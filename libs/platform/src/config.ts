import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRetrySchedule } from '@ses/domain';

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
  /** Limits every GraphQL request meets before any expensive work (README, "Security"). */
  graphql: GraphqlLimits;
  /** Limits of graphql-ws subscriptions on the query app (README, "Security"). */
  live: LiveLimits;
  /**
   * JSON request bodies above this many bytes are refused with 413, per app: the command
   * app takes a registerUsers file of 10,000 rows (some 1.5-3 MB as GraphQL variables).
   */
  maxBodyBytes: Record<'command' | 'query', number>;
  /** Adds `Server-Timing: app;dur=<ms>, cpu;dur=<ms>` to every HTTP answer (off in production unless asked for). */
  serverTiming: boolean;
  /** Webhooks and email (README, "Notifications"). */
  notifications: NotificationsConfig;
  /** The Analytics Portal (served by the query app at /portal/): the one origin the command app allows through CORS, and what the portal is told at run time. */
  portal: { origin: string; commandUrl?: string; clientId?: string };
  /** GET /metrics (Prometheus text format); README, "Operations". */
  metrics: MetricsSettings;
  /** Requests per principal and per client address on the command API (README, "Operations"). */
  rateLimit: RateLimitSettings;
}

export interface NotificationsConfig {
  /** SES_WEBHOOK_RETRY_SCHEDULE: delays in seconds between attempts (default 5 s, 1 min, 10 min, 1 h, 6 h, 24 h). */
  retryScheduleSeconds: number[];
  /** SES_WEBHOOK_ALLOW_PRIVATE: in production, webhooks may reach loopback/private/link-local addresses. */
  allowPrivateAddresses: boolean;
  /** SES_WEBHOOK_TIMEOUT_MS: an attempt without a complete answer by then has failed (default 10 s). */
  webhookTimeoutMs: number;
  /** SES_SMTP_URL: e.g. smtp://127.0.0.1:2525; unset: nothing is mailed. */
  smtpUrl?: string;
  /** SES_MAIL_FROM: the From of every mail (required with SES_SMTP_URL). */
  mailFrom?: string;
}

export function notificationsConfigFrom(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const schedule = parseRetrySchedule(env.SES_WEBHOOK_RETRY_SCHEDULE);
  if (!schedule.ok) throw new ConfigError(`SES_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds: ${schedule.problem}`);
  const smtpUrl = env.SES_SMTP_URL?.trim() || undefined;
  const mailFrom = env.SES_MAIL_FROM?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\//i.test(smtpUrl)) throw new ConfigError('SES_SMTP_URL must be an smtp:// or smtps:// URL');
  if (smtpUrl && !mailFrom) throw new ConfigError('SES_MAIL_FROM is required when SES_SMTP_URL is set');
  return {
    retryScheduleSeconds: schedule.seconds,
    allowPrivateAddresses: boolFrom(env, 'SES_WEBHOOK_ALLOW_PRIVATE', false),
    webhookTimeoutMs: intFrom(env, 'SES_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    smtpUrl,
    mailFrom,
  };
}

export interface MetricsSettings {
  /** SES_METRICS (default true): serve GET /metrics. */
  enabled: boolean;
  /** SES_METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <this>` (401 otherwise). */
  token?: string;
}

export interface RateLimitSettings {
  /** Length of one counting window. */
  windowSeconds: number;
  /** Requests one principal (token `sub`) may send to the command API per window; 0: unlimited. */
  perPrincipal: number;
  /** Requests without a valid token one client address may send per window; 0: unlimited. */
  perAddress: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { windowSeconds: 10, perPrincipal: 1000, perAddress: 1000 };

export interface GraphqlLimits {
  /** Lexical tokens in one document (graphql-js stops parsing there). */
  maxTokens: number;
  /** Field nesting, counted through fragments. */
  maxDepth: number;
  /** Aliases in one operation, counted through fragments. */
  maxAliases: number;
  /** Directives in one operation, counted through fragments. */
  maxDirectives: number;
  /** Cost of one operation: every field selected, through fragments, costs 1. */
  maxCost: number;
  /** Root fields of one mutation operation (each is one command). */
  maxRootMutationFields: number;
}

export interface LiveLimits {
  /** Open subscriptions of one principal (user or token subject) in one query app. */
  maxSubscriptionsPerPrincipal: number;
  /** Open subscriptions in one query app. */
  maxSubscriptions: number;
  /** Open graphql-ws connections in one query app. */
  maxConnections: number;
  /** Bytes a connection may leave unsent before it is closed as a slow reader (close code 4413). */
  maxBufferedBytes: number;
  /** Largest graphql-ws message a client may send. */
  maxMessageBytes: number;
}

export const DEFAULT_GRAPHQL_LIMITS: GraphqlLimits = {
  maxTokens: 5000,
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 20,
  maxCost: 2000,
  maxRootMutationFields: 5,
};

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxSubscriptionsPerPrincipal: 20,
  maxSubscriptions: 1000,
  maxConnections: 1000,
  maxBufferedBytes: 1024 * 1024,
  maxMessageBytes: 64 * 1024,
};

/**
 * Default JSON body limits (SES_HTTP_MAX_BODY_BYTES sets both). The command app's is larger
 * for registerUsers: 10,000 rows of up to about 400 bytes (email, name, country, roles,
 * groups) fit in 4 MiB; the query app takes only documents and small variables.
 */
export const DEFAULT_MAX_BODY_BYTES = { command: 4 * 1024 * 1024, query: 1024 * 1024 } as const;

export const DEVELOPMENT_AUTH_SECRET = 'ses-development-secret-do-not-use-in-production';

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return value;
}

function boolFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function graphqlLimitsFrom(env: NodeJS.ProcessEnv = process.env): GraphqlLimits {
  const d = DEFAULT_GRAPHQL_LIMITS;
  return {
    maxTokens: intFrom(env, 'SES_GRAPHQL_MAX_TOKENS', d.maxTokens, 100, 1_000_000),
    maxDepth: intFrom(env, 'SES_GRAPHQL_MAX_DEPTH', d.maxDepth, 2, 100),
    maxAliases: intFrom(env, 'SES_GRAPHQL_MAX_ALIASES', d.maxAliases, 0, 10_000),
    maxDirectives: intFrom(env, 'SES_GRAPHQL_MAX_DIRECTIVES', d.maxDirectives, 0, 10_000),
    maxCost: intFrom(env, 'SES_GRAPHQL_MAX_COST', d.maxCost, 10, 1_000_000),
    maxRootMutationFields: intFrom(env, 'SES_GRAPHQL_MAX_ROOT_MUTATION_FIELDS', d.maxRootMutationFields, 1, 1000),
  };
}

/** SES_RATE_LIMIT=false switches both limits off; otherwise SES_RATE_LIMIT_* set them (0 switches one off). */
export function rateLimitsFrom(env: NodeJS.ProcessEnv = process.env): RateLimitSettings {
  const d = DEFAULT_RATE_LIMITS;
  const windowSeconds = intFrom(env, 'SES_RATE_LIMIT_WINDOW_SECONDS', d.windowSeconds, 1, 3600);
  if (!boolFrom(env, 'SES_RATE_LIMIT', true)) return { windowSeconds, perPrincipal: 0, perAddress: 0 };
  return {
    windowSeconds,
    perPrincipal: intFrom(env, 'SES_RATE_LIMIT_PER_PRINCIPAL', d.perPrincipal, 0, 10_000_000),
    perAddress: intFrom(env, 'SES_RATE_LIMIT_PER_ADDRESS', d.perAddress, 0, 10_000_000),
  };
}

/**
 * The Ed25519 key: SES_SIGNING_KEY (a PEM; `\n` escapes are read as line breaks, the usual
 * way a multi-line value gets into an environment variable) or SES_SIGNING_KEY_FILE (a file
 * holding the PEM, e.g. a Docker secret). Both set is refused: which one wins would be a guess.
 */
export function signingKeyPemFrom(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const inline = env.SES_SIGNING_KEY || undefined;
  const file = env.SES_SIGNING_KEY_FILE || undefined;
  if (inline && file) throw new ConfigError('set SES_SIGNING_KEY or SES_SIGNING_KEY_FILE, not both');
  if (inline) return inline.includes('\\n') && !inline.includes('\n') ? inline.replace(/\\n/g, '\n') : inline;
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`SES_SIGNING_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

export function liveLimitsFrom(env: NodeJS.ProcessEnv = process.env): LiveLimits {
  const d = DEFAULT_LIVE_LIMITS;
  return {
    maxSubscriptionsPerPrincipal: intFrom(env, 'SES_LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL', d.maxSubscriptionsPerPrincipal, 1, 100_000),
    maxSubscriptions: intFrom(env, 'SES_LIVE_MAX_SUBSCRIPTIONS', d.maxSubscriptions, 1, 1_000_000),
    maxConnections: intFrom(env, 'SES_LIVE_MAX_CONNECTIONS', d.maxConnections, 1, 1_000_000),
    maxBufferedBytes: intFrom(env, 'SES_LIVE_MAX_BUFFERED_BYTES', d.maxBufferedBytes, 1024, 1024 ** 3),
    maxMessageBytes: intFrom(env, 'SES_LIVE_MAX_MESSAGE_BYTES', d.maxMessageBytes, 1024, 64 * 1024 ** 2),
  };
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
    signingKeyPem: signingKeyPemFrom(env),
    sessionTtlSeconds: intFrom(env, 'SES_USAGE_SESSION_TTL_SECONDS', 900, 1, 7 * 24 * 3600),
    timerIntervalMs: intFrom(env, 'SES_TIMER_INTERVAL_MS', 1000, 10, 600_000),
    minPositionTimeoutMs: intFrom(env, 'SES_MIN_POSITION_TIMEOUT_MS', 5000, 0, 120_000),
    logLevel: env.SES_LOG_LEVEL || (env.NODE_ENV === 'test' ? 'warn' : 'info'),
    graphql: graphqlLimitsFrom(env),
    live: liveLimitsFrom(env),
    maxBodyBytes: {
      command: intFrom(env, 'SES_HTTP_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES.command, 1024, 64 * 1024 ** 2),
      query: intFrom(env, 'SES_HTTP_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES.query, 1024, 64 * 1024 ** 2),
    },
    serverTiming: boolFrom(env, 'SES_SERVER_TIMING', !production),
    notifications: notificationsConfigFrom(env),
    portal: {
      origin: originFrom(env, 'SES_PORTAL_ORIGIN', `http://localhost:${queryPort}`),
      commandUrl: env.SES_PORTAL_COMMAND_URL || undefined,
      clientId: env.SES_PORTAL_CLIENT_ID || undefined,
    },
    metrics: { enabled: boolFrom(env, 'SES_METRICS', true), token: env.SES_METRICS_TOKEN || undefined },
    rateLimit: rateLimitsFrom(env),
  };
}

export const SES_CONFIG = Symbol('SES_CONFIG');
