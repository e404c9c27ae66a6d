import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { issueToken } from '@ses/auth';

/**
 * registerUsers of a 10,000-row file (the contract's maximum) over HTTP, as the portal's
 * CSV import sends it: both apps spawned from dist/ on a fresh embedded data directory,
 * rows with a role or two and a group each (about 30,000 events). Measured: the answer's
 * wall time (and the app's own Server-Timing), a dry run of the same file, a repeat of
 * the same commandId, and how long the query app takes until a read with the answer's
 * position is served (the read models caught up with the file).
 */
export async function registerUsersBench(): Promise<Record<string, unknown>> {
  const rows = Number(process.env.SES_BENCH_BULK_ROWS ?? 10_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ses-bulk-bench-'));
  const secret = 'bench-secret-that-is-long-enough-0000000';
  // The read after the file waits for the read models up to 2 minutes (the maximum), not the default 5 s.
  const env = { SES_DATA_DIR: dataDir, SES_AUTH_SECRET: secret, SES_MIN_POSITION_TIMEOUT_MS: '120000' };
  const [command, query] = await Promise.all([start('command', env), start('query', env)]);
  try {
    const operator = await issueToken(secret, { operator: true });
    const adminEmail = 'admin@bulk-bench.example';
    const opened = await call(command.url, operator, OPEN_ACCOUNT, {
      input: { name: 'Bulk Bench', entitlementCountry: 'DE', fulfillmentContact: { email: adminEmail, displayName: 'Admin' } },
    });
    const accountId = opened.data.openAccount.accountId as string;
    const admin = await issueToken(secret, { email: adminEmail });
    const groups: string[] = [];
    for (const name of ['Design', 'Civil', 'Plant'])
      groups.push((await call(command.url, admin, CREATE_GROUP, { input: { accountId, name, productIds: [] } })).data.createGroup.groupId);
    const users = Array.from({ length: rows }, (_, i) => ({
      email: `firstname.lastname.${i}@bulk-bench.example`,
      displayName: `Firstname Lastname ${i}`,
      country: i % 7 === 0 ? 'FR' : 'DE',
      roles: i % 2 === 0 ? ['SOFTWARE_DOWNLOAD'] : ['SOFTWARE_DOWNLOAD', 'AUDITOR'],
      groupIds: [groups[i % groups.length]],
    }));
    const input = { accountId, users, commandId: 'bench-file' };
    const bodyBytes = JSON.stringify({ query: REGISTER_USERS, variables: { input } }).length;

    const dry = await call(command.url, admin, REGISTER_USERS, { input: { ...input, dryRun: true, commandId: 'bench-dry' } });
    const real = await call(command.url, admin, REGISTER_USERS, { input });
    if (real.data?.registerUsers?.registered !== rows)
      throw new Error(`registerUsers did not register every row: ${JSON.stringify(real.errors ?? real.data).slice(0, 500)}`);
    const repeat = await call(command.url, admin, REGISTER_USERS, { input });
    const position = real.data.registerUsers.position as string;
    const caughtUp = await call(query.url, admin, `{ me { id } }`, {}, { 'x-ses-min-position': position });
    return {
      rows,
      events: rows * 3 + Math.floor(rows / 2),
      requestBodyBytes: bodyBytes,
      registerUsers: { wallMs: real.wallMs, serverTiming: real.serverTiming },
      dryRun: { wallMs: dry.wallMs, serverTiming: dry.serverTiming },
      repeatSameCommandId: { wallMs: repeat.wallMs },
      queryCaughtUpAfterAnswerMs: caughtUp.wallMs,
    };
  } finally {
    await Promise.all([stop(command.child), stop(query.child)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const OPEN_ACCOUNT = `mutation($input: OpenAccountInput!) { openAccount(input: $input) { accountId } }`;
const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { groupId } }`;
const REGISTER_USERS = `mutation($input: RegisterUsersInput!) { registerUsers(input: $input) { registered failed position results { row userId errorCode } } }`;

interface Answer {
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL JSON
  errors?: unknown[];
  wallMs: number;
  serverTiming: string | null;
}

async function call(url: string, token: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: unknown; errors?: unknown[] };
  const wallMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
  if (body.errors?.length) throw new Error(`${url}: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return { data: body.data, errors: body.errors, wallMs, serverTiming: res.headers.get('server-timing') };
}

async function start(name: 'command' | 'query', env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const main = join(__dirname, '..', 'apps', name, 'src', 'main.js');
  const portVar = name === 'command' ? 'SES_COMMAND_PORT' : 'SES_QUERY_PORT';
  // Logs at info only to see the port it listens on.
  const child = spawn(process.execPath, [...(process.env.SES_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SES_BENCH_PROFILE}`] : []), main], {
    env: { ...process.env, ...env, SES_LOG_LEVEL: 'info', [portVar]: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /"port":(\d+).*listening/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${match[1]}/graphql` });
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
