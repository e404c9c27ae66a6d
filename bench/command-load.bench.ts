import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '@ses/auth';
import { runLoad, type LoadFigures, type LoadScenario } from './support/load';
import { SpawnedApp } from './support/spawned-app';

const SECRET = 'bench-secret-that-is-long-enough-0000000';
const CLIENTS = 32;

/**
 * The command app's hot path under load, side by side in one run (issue 14): both apps
 * spawned from dist/ on the embedded stores as `npm start` runs them, then closed-loop
 * HTTP clients (autocannon, 32 connections) on loopback, one scenario after another:
 * `{ ping }` (no work: the server's floor), `startUsage` by 32 users of one product,
 * `startUsage` by 32 accounts (each with a new client-generated sessionId, as the contract
 * asks), `startUsage` + `endUsage` pairs, and `checkOut` (each by a
 * user who holds no check-out yet). `{ ping }` runs first and last; ratios are against the
 * mean of both. SES_BENCH_LOAD_SECONDS (default 10) per scenario; SES_BENCH_PROFILE=<dir>
 * writes the command app's CPU profile there; SES_BENCH_LOAD_QUERY=0 leaves the query app out.
 */
export async function commandLoadBench(): Promise<Record<string, unknown>> {
  const seconds = Number(process.env.SES_BENCH_LOAD_SECONDS ?? 10);
  const dataDir = mkdtempSync(join(tmpdir(), 'ses-load-bench-'));
  const profileDir = process.env.SES_BENCH_PROFILE;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  // The rate limits are raised (not switched off: their cost stays in every request): every client here is one address.
  const env = {
    SES_DATA_DIR: dataDir,
    SES_AUTH_SECRET: SECRET,
    SES_LOG_LEVEL: 'info',
    SES_RATE_LIMIT_PER_PRINCIPAL: '10000000',
    SES_RATE_LIMIT_PER_ADDRESS: '10000000',
    SES_MIN_POSITION_TIMEOUT_MS: '120000',
  };
  const withQuery = process.env.SES_BENCH_LOAD_QUERY !== '0';
  const [command, query] = await Promise.all([
    SpawnedApp.start('command', env, undefined, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    withQuery ? SpawnedApp.start('query', env) : Promise.resolve(undefined),
  ]);
  try {
    const operator = await issueToken(SECRET, { operator: true });
    const setupStarted = performance.now();
    // One account, 32 users, one product: every start goes to ONE seat pool (one stream).
    const shared = await openAccount(command, operator, 'shared');
    await grant(command, operator, shared.accountId, 'cad', 1000);
    const sharedUsers = await registerUsers(command, shared.token, shared.accountId, 'shared', CLIENTS);
    // 32 accounts, one user each: every client has a pool of its own.
    const accounts = [];
    for (let i = 0; i < CLIENTS; i++) {
      const account = await openAccount(command, operator, `acct${i}`);
      await grant(command, operator, account.accountId, 'cad', 10);
      accounts.push(account.token);
    }
    // checkOut: each request by a user without a check-out (one per user and product), in one account with as many seats.
    const checkoutUsers = Number(process.env.SES_BENCH_LOAD_CHECKOUT_USERS ?? 20_000);
    const offline = await openAccount(command, operator, 'offline');
    await grant(command, operator, offline.accountId, 'cad', checkoutUsers, { checkoutAllowed: true, maxCheckoutDays: 30 });
    const checkoutTokens = await registerUsers(command, offline.token, offline.accountId, 'offline', checkoutUsers);
    // The query app projects the set-up's events before the load starts (else it competes for the cores meanwhile).
    if (query) {
      const { data } = await command.gql(offline.token, START_USAGE, { input: { productId: 'cad', machineId: 'set-up' } });
      const position = (data.startUsage as { position: string }).position;
      await query.gql(offline.token, '{ me { id } }', {}, { 'x-ses-min-position': position });
    }
    const setupMs = Math.round(performance.now() - setupStarted);

    const url = command.url;
    const ping: LoadScenario = { name: 'ping', url, clients: CLIENTS, seconds, tokens: sharedUsers, steps: [{ body: () => ({ query: '{ ping }' }) }] };
    await runLoad({ ...ping, name: 'warm-up', seconds: Math.min(3, seconds) });
    const startUsage = (tokens: string[], name: string): LoadScenario => ({
      name,
      url,
      clients: CLIENTS,
      seconds,
      tokens,
      steps: [{ body: () => ({ query: START_USAGE, variables: { input: { sessionId: randomUUID(), productId: 'cad', machineId: 'bench-machine' } } }) }],
    });
    const figures: Record<string, LoadFigures> = {};
    // The command app's CPU time per request in each scenario: unlike requests/s, it does not move with what else runs on the cores.
    const cpuPerRequest: Record<string, number> = {};
    const measured = async (name: string, scenario: LoadScenario): Promise<LoadFigures> => {
      const cpuBefore = command.cpuMs();
      const result = await runLoad(scenario);
      cpuPerRequest[name] = round2((command.cpuMs() - cpuBefore) / Math.max(1, result.requests));
      return result;
    };
    // SES_BENCH_LOAD_ONLY=startUsageAccounts,... runs only those between the two pings (e.g. to profile one).
    const only = process.env.SES_BENCH_LOAD_ONLY?.split(',');
    const wanted = (name: string) => !only || only.includes(name);
    figures.ping = await measured('ping', ping);
    if (wanted('startUsageOneProduct'))
      figures.startUsageOneProduct = await measured('startUsageOneProduct', startUsage(sharedUsers, 'startUsage, 32 users of one product'));
    if (wanted('startUsageAccounts')) figures.startUsageAccounts = await measured('startUsageAccounts', startUsage(accounts, 'startUsage, 32 accounts'));
    if (wanted('startEndPairs'))
      figures.startEndPairs = await measured('startEndPairs', {
        ...startUsage(sharedUsers, 'startUsage + endUsage pairs, 32 users of one product'),
        steps: [
          {
            body: () => ({ query: START_USAGE, variables: { input: { sessionId: randomUUID(), productId: 'cad', machineId: 'bench-machine' } } }),
            remember: 'sessionId',
          },
          { body: (sessionId) => ({ query: END_USAGE, variables: { input: { sessionId } } }) },
        ],
      });
    if (wanted('checkOut'))
      figures.checkOut = await measured('checkOut', {
        name: 'checkOut, a new user each',
        url,
        clients: CLIENTS,
        seconds,
        tokens: checkoutTokens,
        tokenPerRequest: true,
        steps: [{ body: () => ({ query: CHECK_OUT, variables: { input: { productId: 'cad', machineId: 'bench-machine', days: 7 } } }) }],
      });
    figures.pingAgain = await measured('pingAgain', { ...ping, name: 'ping again' });

    const pingRps = (figures.ping.requestsPerSecond + figures.pingAgain.requestsPerSecond) / 2;
    const pingP99 = (figures.ping.p99Ms + figures.pingAgain.p99Ms) / 2;
    const pingMean = (figures.ping.meanMs + figures.pingAgain.meanMs) / 2;
    // meanLatency: closed loops of the same clients, so about 1 / throughput. The p99 ratio can stay
    // under 1.5 only where the mean's does, unless the scenario's tail is shorter than ping's.
    const vsPing = Object.fromEntries(
      Object.entries(figures)
        .filter(([name]) => !name.startsWith('ping'))
        .map(([name, f]) => [
          name,
          { throughput: round2(f.requestsPerSecond / pingRps), p99: round2(f.p99Ms / pingP99), meanLatency: round2(f.meanMs / pingMean) },
        ]),
    );
    const pingCpu = (cpuPerRequest.ping! + cpuPerRequest.pingAgain!) / 2;
    // What the throughput ratio would be were the command app alone on its cores (CPU-bound): ping's CPU per request over the scenario's.
    const vsPingByCpu = Object.fromEntries(
      Object.entries(cpuPerRequest)
        .filter(([name]) => !name.startsWith('ping'))
        .map(([name, cpu]) => [name, round2(pingCpu / cpu)]),
    );
    // A pair is two requests: its throughput in pairs/s is half the requests/s.
    return {
      clients: CLIENTS,
      secondsEach: seconds,
      queryAppRunning: withQuery,
      setupMs,
      figures,
      commandAppCpuMsPerRequest: cpuPerRequest,
      vsPing,
      vsPingByCpu,
      targets: Object.fromEntries(
        Object.entries(vsPing).flatMap(([name, ratio]) => [
          [`${name} >= 0.6x ping throughput`, ratio.throughput >= 0.6],
          [`${name} p99 <= 1.5x ping p99`, ratio.p99 <= 1.5],
        ]),
      ),
      commandApp: command.memory(),
    };
  } finally {
    await Promise.all([command.stop(), query?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const START_USAGE = `mutation($input: StartUsageInput!) { startUsage(input: $input) { sessionId allowed denyReason position } }`;
const END_USAGE = `mutation($input: SessionInput!) { endUsage(input: $input) { sessionId } }`;
const CHECK_OUT = `mutation($input: CheckOutInput!) { checkOut(input: $input) { checkoutId expiresAt license } }`;

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

async function openAccount(app: SpawnedApp, operator: string, name: string): Promise<{ accountId: string; token: string }> {
  const email = `admin@${name}.load-bench.example`;
  const { data } = await app.gql(operator, `mutation($input: OpenAccountInput!) { openAccount(input: $input) { accountId } }`, {
    input: { name, entitlementCountry: 'DE', fulfillmentContact: { email, displayName: 'Admin' } },
  });
  return { accountId: (data.openAccount as { accountId: string }).accountId, token: await issueToken(SECRET, { email }) };
}

async function grant(
  app: SpawnedApp,
  operator: string,
  accountId: string,
  productId: string,
  seats: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await app.gql(operator, `mutation($input: GrantEntitlementInput!) { grantEntitlement(input: $input) { entitlementId } }`, {
    input: { accountId, productId, productName: 'CAD', seats, startsAt: '2026-01-01T00:00:00Z', endsAt: '2099-01-01T00:00:00Z', ...extra },
  });
}

/** Registers `count` users (registerUsers, 10,000 rows per call) and returns a token for each. */
async function registerUsers(app: SpawnedApp, admin: string, accountId: string, name: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `user${i}@${name}.load-bench.example`);
  for (let from = 0; from < count; from += 10_000) {
    const users = emails.slice(from, from + 10_000).map((email) => ({ email, displayName: email, roles: [], groupIds: [] }));
    const { data } = await app.gql(admin, `mutation($input: RegisterUsersInput!) { registerUsers(input: $input) { registered } }`, {
      input: { accountId, users },
    });
    if ((data.registerUsers as { registered: number }).registered !== users.length) throw new Error(`registerUsers: ${JSON.stringify(data)}`);
  }
  return Promise.all(emails.map((email) => issueToken(SECRET, { email })));
}
