import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { issueToken } from '@ses/auth';

/**
 * `me` latency on the query app with 0 and with 200 busy graphql-ws subscriptions, under the
 * same write load (issue 15, reproduction 4: p99 went from 29 ms to 16 s).
 *
 * Both apps run as processes on the embedded stores. A paced writer starts and ends usage
 * sessions on the command app at SES_BENCH_LIVE_RATE events/s (default 100) across 5
 * products for the whole run; every event goes to every subscriber. A closed-loop client
 * (SES_BENCH_LIVE_CONCURRENCY requests in flight, default 4) asks `me` for
 * SES_BENCH_LIVE_SECONDS (default 10) in three phases: no subscriptions; 200 subscriptions
 * of 10 auditors (SES_BENCH_LIVE_SUBSCRIBERS, one connection each, held by a child process
 * so that receiving them does not slow this process's clock); after they closed.
 * Reports p50/p99 per phase (after a warm-up phase of `me` alone), their ratio (target: busy
 * p99 at most 2x the idle p99), how far behind subscribers were, and the query app's memory
 * at the end of each phase after a full GC (the query app runs with --expose-gc for that).
 */
const ROOT = join(__dirname, '..', '..');
const SECRET = 'bench-secret-bench-secret-bench-secret-00';

interface App {
  url: string;
  port: number;
  child: ChildProcess;
}

/** `nodeArgs`: e.g. SES_BENCH_QUERY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the query app. */
function startApp(name: 'command' | 'query', env: Record<string, string>, nodeArgs: string[] = []): Promise<App> {
  const portVar = name === 'command' ? 'SES_COMMAND_PORT' : 'SES_QUERY_PORT';
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
    env: { ...process.env, NODE_ENV: 'production', SES_LOG_LEVEL: 'warn', ...env, [portVar]: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      const port = /"port":(\d+).*listening/.exec(line)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}/graphql`, port: Number(port), child });
    };
    // Production mode logs at warn: ask for the listening line explicitly.
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

/** The data of one operation (throws on errors); fields are read as strings, which is all this bench needs. */
async function gql<T = Record<string, Record<string, string>>>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

/** CPU seconds a process has used so far (Linux /proc; null elsewhere). */
function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function liveFanOutBench(): Promise<Record<string, unknown>> {
  const subscribers = Number(process.env.SES_BENCH_LIVE_SUBSCRIBERS ?? 200);
  const rate = Number(process.env.SES_BENCH_LIVE_RATE ?? 100);
  const seconds = Number(process.env.SES_BENCH_LIVE_SECONDS ?? 10);
  const concurrency = Number(process.env.SES_BENCH_LIVE_CONCURRENCY ?? 4);
  const auditorsCount = Math.ceil(subscribers / 20);
  const dataDir = mkdtempSync(join(tmpdir(), 'ses-live-bench-'));
  const env = { SES_DATA_DIR: dataDir, SES_AUTH_SECRET: SECRET, SES_LOG_LEVEL: 'info' };
  const [command, query] = await Promise.all([
    startApp('command', env),
    startApp('query', env, ['--expose-gc', ...(process.env.SES_BENCH_QUERY_NODE_ARGS?.split(' ') ?? [])]),
  ]);
  let holder: ChildProcess | undefined;
  try {
    const operator = await issueToken(SECRET, { operator: true, sub: 'bench-operator' });
    const adminEmail = `admin.${Date.now()}@bench.example`;
    const { openAccount } = await gql(command.url, operator, 'mutation($i: OpenAccountInput!) { openAccount(input: $i) { accountId } }', {
      i: { name: 'Bench Co', entitlementCountry: 'US', fulfillmentContact: { email: adminEmail, displayName: 'Admin' } },
    });
    const accountId: string = openAccount.accountId;
    const admin = await issueToken(SECRET, { email: adminEmail, sub: 'bench-admin' });
    const products = ['p0', 'p1', 'p2', 'p3', 'p4'];
    for (const productId of products) {
      await gql(command.url, operator, 'mutation($i: GrantEntitlementInput!) { grantEntitlement(input: $i) { entitlementId } }', {
        i: { accountId, productId, productName: productId, seats: 10_000, startsAt: '2026-01-01T00:00:00Z', endsAt: '2099-01-01T00:00:00Z' },
      });
    }
    const register = async (email: string, roles: string[] = []) => {
      const { registerUser } = await gql(command.url, admin, 'mutation($i: RegisterUserInput!) { registerUser(input: $i) { userId position } }', {
        i: { accountId, email, displayName: email },
      });
      let position: string = registerUser.position;
      for (const role of roles) {
        position = (
          await gql(command.url, admin, 'mutation($i: RoleInput!) { grantRole(input: $i) { position } }', { i: { userId: registerUser.userId, role } })
        ).grantRole.position;
      }
      return { token: await issueToken(SECRET, { email, sub: `sub-${email}` }), position };
    };
    const writers: { token: string; position: string }[] = [];
    for (let i = 0; i < 50; i++) writers.push(await register(`writer${i}@bench.example`));
    const auditors: { token: string; position: string }[] = [];
    for (let i = 0; i < auditorsCount; i++) auditors.push(await register(`auditor${i}@bench.example`, ['AUDITOR']));
    await gql(query.url, admin, '{ me { id } }', {}, { 'x-ses-min-position': auditors[auditors.length - 1].position });

    // ------------------------------------------------ paced write load (the whole run)
    let writing = true;
    let writesDone = 0;
    let writeErrors = 0;
    const sessions: (string | undefined)[] = writers.map(() => undefined);
    const busy = writers.map(() => false);
    const writeLoop = (async () => {
      const started = performance.now();
      let k = 0;
      const inFlight = new Set<Promise<void>>();
      while (writing) {
        const due = started + (k * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const slot = k % writers.length;
        k += 1;
        if (busy[slot] || inFlight.size >= 32) continue; // behind: the achieved rate says so
        busy[slot] = true;
        const op = (async () => {
          try {
            if (sessions[slot]) {
              await gql(command.url, writers[slot].token, 'mutation($i: SessionInput!) { endUsage(input: $i) { sessionId } }', {
                i: { sessionId: sessions[slot] },
              });
              sessions[slot] = undefined;
            } else {
              const { startUsage } = await gql(command.url, writers[slot].token, 'mutation($i: StartUsageInput!) { startUsage(input: $i) { sessionId } }', {
                i: { productId: products[slot % products.length], machineId: `m${slot}` },
              });
              sessions[slot] = startUsage.sessionId;
            }
            writesDone += 1;
          } catch {
            writeErrors += 1;
          } finally {
            busy[slot] = false;
          }
        })();
        inFlight.add(op);
        void op.finally(() => inFlight.delete(op));
      }
      await Promise.all(inFlight);
    })();

    // null where the query app has no /health/live (a build from before it, measured for comparison).
    const live = async (gc = false, attempt = 1): Promise<LiveHealth | null> => {
      try {
        const res = await fetch(`http://127.0.0.1:${query.port}/health/live${gc ? '?gc=1' : ''}`);
        return res.ok ? ((await res.json()) as LiveHealth) : null;
      } catch (error) {
        // A kept-alive connection the app closed meanwhile (a stalled app lets them time out): once more.
        if (attempt < 3) return live(gc, attempt + 1);
        throw error;
      }
    };

    /** Closed-loop `me` for `seconds`, with the write rate achieved meanwhile. */
    const measureMe = async (label: string) => {
      const latencies: number[] = [];
      let errors = 0;
      const writesBefore = writesDone;
      const cpuBefore = cpuSecondsOf(query.child.pid);
      const deadline = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, i) => {
          const token = auditors[i % auditors.length].token;
          while (performance.now() < deadline) {
            const t0 = performance.now();
            try {
              await gql(query.url, token, '{ me { id email displayName roles status } }');
              latencies.push(performance.now() - t0);
            } catch {
              errors += 1;
            }
          }
        }),
      );
      return {
        phase: label,
        requests: latencies.length,
        errors,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: percentile(latencies, 100),
        writesPerSecond: Math.round((writesDone - writesBefore) / seconds),
        queryAppCpuPercent: cpuBefore === null ? null : Math.round(((cpuSecondsOf(query.child.pid)! - cpuBefore) / seconds) * 100),
      };
    };

    await sleep(2000); // the write load settles
    await measureMe('warm-up (not reported)');
    const idle = await measureMe('0 subscriptions');
    const idleMemory = (await live(true))?.memory;

    // ------------------------------------------------ 200 busy subscriptions
    holder = fork(join(__dirname, 'live-subscribers.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ask = <T>(message: object, answer: string) =>
      new Promise<T>((resolve, reject) => {
        const listener = (reply: Record<string, unknown>) => {
          if (reply.error) reject(new Error(String(reply.error)));
          if (answer in reply) {
            holder!.off('message', listener);
            resolve(reply[answer] as T);
          }
        };
        holder!.on('message', listener);
        holder!.send(message);
      });
    await ask(
      { open: { url: `ws://127.0.0.1:${query.port}/graphql`, accountId, tokens: auditors.map((a) => a.token), perToken: subscribers / auditorsCount } },
      'ready',
    );
    while (((await live())?.subscriptions ?? subscribers) < subscribers) await sleep(100);
    await sleep(2000);
    await ask({ reset: true }, 'reset');
    const counters0 = await live();
    const loaded = await measureMe(`${subscribers} busy subscriptions`);
    const received = await ask<Record<string, number | null>>({ stats: true }, 'stats');
    const counters1 = await live();
    const busyMemory = (await live(true))?.memory;

    // ------------------------------------------------ after they closed
    await ask({ close: true }, 'closed');
    holder = undefined;
    for (let state = await live(); state && state.subscriptions + state.connections > 0; state = await live()) await sleep(100);
    const after = await measureMe('after the subscriptions closed');
    const afterLive = await live(true);

    writing = false;
    await writeLoop;
    const delta = (key: 'published' | 'deliveries' | 'serializations' | 'fanOutMs' | 'flushMs') =>
      counters0 && counters1 ? counters1[key] - counters0[key] : null;
    const deliveries = delta('deliveries');
    const fanOutMs = counters0 && counters1 ? delta('fanOutMs')! + delta('flushMs')! : null;
    return {
      load: { subscribers, auditors: auditorsCount, targetWriteEventsPerSecond: rate, meConcurrency: concurrency, secondsPerPhase: seconds, writeErrors },
      me: [idle, loaded, after],
      p99RatioBusyToIdle: Math.round((loaded.p99Ms / idle.p99Ms) * 100) / 100,
      fanOut: {
        eventsPublished: delta('published'),
        serializations: delta('serializations'),
        deliveries,
        // Main-thread time of fan-out (rendering, handing to sockets, flushing), per 1,000 messages delivered.
        fanOutMsPer1000Deliveries: deliveries && fanOutMs !== null ? Math.round((fanOutMs / deliveries) * 1000 * 10) / 10 : null,
        fanOutShareOfPhase: fanOutMs === null ? null : Math.round((fanOutMs / (seconds * 1000)) * 1000) / 1000,
        messagesReceivedPerSecond: Math.round(Number(received.messages) / seconds),
        lagP50Ms: received.lagP50Ms,
        lagP99Ms: received.lagP99Ms,
      },
      queryAppMemoryMiB: {
        idle: mib(idleMemory),
        busy: mib(busyMemory),
        afterClose: mib(afterLive?.memory),
        liveAfterClose: afterLive && {
          connections: afterLive.connections,
          subscriptions: afterLive.subscriptions,
          principals: afterLive.principals,
          topics: afterLive.topics,
        },
      },
    };
  } finally {
    holder?.kill();
    command.child.kill('SIGTERM');
    query.child.kill('SIGTERM');
    await Promise.all([command, query].map((app) => new Promise((resolve) => (app.child.exitCode !== null ? resolve(null) : app.child.once('exit', resolve)))));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface LiveHealth {
  connections: number;
  subscriptions: number;
  principals: number;
  topics: number;
  published: number;
  serializations: number;
  deliveries: number;
  fanOutMs: number;
  flushMs: number;
  memory: { rssBytes: number; heapUsedBytes: number };
}

function mib(memory: { rssBytes: number; heapUsedBytes: number } | undefined) {
  if (!memory) return null;
  return { rss: Math.round(memory.rssBytes / 2 ** 20), heapUsed: Math.round(memory.heapUsedBytes / 2 ** 20) };
}
