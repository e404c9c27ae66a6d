import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedReadStoreCatalog } from '@ses/read-store';
import { ALL_PROJECTIONS } from '../../../apps/query/src/projections/all-projections';
import { PROJECTION_CHECKPOINT } from '../../../apps/query/src/projections/projection-engine';
import { AppProcess } from '../../support/app-process';
import { globalLog } from '../../support/event-log';
import { ok, type GraphQLResponse } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, Q, registerUser, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

const run = promisify(execFile);
const REBUILD = join(__dirname, '..', '..', '..', 'dist', 'scripts', 'rebuild-projections.js');

/** Said with a timeout of `until`: what the commands answered last (set by the suite). */
let diagnosis: (() => string) | undefined;

async function until(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}${diagnosis?.() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const statusOf = async (url: string): Promise<number> => {
  try {
    return (await fetch(url)).status;
  } catch {
    return 0;
  }
};

/**
 * Commands keep coming from a few users (usage sessions and check-outs, each with a
 * commandId or, for startUsage, a sessionId) while the query app is killed with -9 and restarted, and while the event
 * store is unreachable for both apps for a few seconds (a fault-injecting adapter the
 * apps take from SES_TEST_FAULTS_FILE, honoured only with NODE_ENV=test). Afterwards the
 * read models the live query app projected equal, document by document, a fresh rebuild
 * from the log: nothing lost, nothing applied twice.
 */
describe('the service through a kill -9 of the query app and an unreachable event store, while commands keep coming', () => {
  let stack: SesStack;
  let faultsDir: string;
  let faultsFile: string;
  const acknowledged: string[] = [];
  const failed: string[] = [];
  /** How each refused command was answered (code, HTTP status, Retry-After), in order. */
  const refusals: { code?: string; status: number; retryAfter?: string; retryAfterSeconds?: unknown }[] = [];
  let inFlight = 0;
  let stop = false;
  let workers: Promise<void> | undefined;

  beforeAll(async () => {
    faultsDir = mkdtempSync(join(tmpdir(), 'ses-faults-'));
    faultsFile = join(faultsDir, 'faults.json');
    writeFileSync(faultsFile, JSON.stringify({ unreachable: false }));
    stack = await SesStack.start({ SES_TEST_FAULTS_FILE: faultsFile });
    // A timeout in this suite once came with nothing to go on (under a full npm test): say what the commands met.
    diagnosis = () => {
      const recent = failed.slice(-200);
      const counts = new Map<string, number>();
      for (const message of recent) counts.set(message, (counts.get(message) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
      return `; ${acknowledged.length} commands acknowledged, ${failed.length} failed, ${inFlight} unanswered now; the last ${recent.length} failures: ${JSON.stringify(top)}`;
    };
  }, 60_000);
  afterAll(async () => {
    stop = true;
    await workers;
    await stack?.stop();
    rmSync(faultsDir, { recursive: true, force: true });
  });

  const setFaults = (faults: { unreachable: boolean }) => writeFileSync(faultsFile, JSON.stringify(faults));

  /**
   * As a client would, a refused command is retried after a pause, not at once: without it the
   * loops sent thousands of refused commands during the outage, each user then met the rate limit
   * (1,000 per 10 s) too, and under a loaded machine the flood once kept commands from being
   * acknowledged for 30 s after the store was back.
   */
  const pauseAfterRefusal = () => new Promise((resolve) => setTimeout(resolve, 25));

  /** One user's commands, in a loop: a usage session, a check-out and its check-in. */
  async function keepCommanding(user: RegisteredUser, productId: string): Promise<void> {
    /** `input` carries its own id for idempotency: a commandId, or a sessionId for startUsage (its input has no commandId). */
    const send = async (query: string, input: Record<string, unknown>): Promise<GraphQLResponse | undefined> => {
      let answer: GraphQLResponse | undefined;
      inFlight++;
      try {
        answer = await stack.mutate(user.token, query, { input });
      } catch (error) {
        failed.push(String(error));
        await pauseAfterRefusal();
        return undefined;
      } finally {
        inFlight--;
      }
      if (answer.errors) {
        failed.push(answer.errors[0]!.message);
        const { code, retryAfterSeconds } = answer.errors[0]!.extensions ?? {};
        refusals.push({ code, status: answer.status, retryAfter: answer.retryAfter, retryAfterSeconds });
        await pauseAfterRefusal();
        return undefined;
      }
      acknowledged.push(String(Object.values(answer.data!)[0]!.position));
      return answer;
    };
    while (!stop) {
      const started = await send(M.startUsage, { sessionId: crypto.randomUUID(), productId, machineId: 'pc' });
      if (started) await send(M.endUsage, { commandId: crypto.randomUUID(), sessionId: started.data!.startUsage.sessionId });
      const checkedOut = await send(M.checkOut, { commandId: crypto.randomUUID(), productId, machineId: 'pc', days: 1 });
      if (checkedOut) await send(M.checkIn, { commandId: crypto.randomUUID(), checkoutId: checkedOut.data!.checkOut.checkoutId });
    }
  }

  it('keeps every read model equal to a fresh rebuild, and says degraded on /health only while the event store is unreachable', async () => {
    const account = await openAccount(stack, 'Faults Co');
    await grantEntitlement(stack, account.accountId, { productId: 'flt', seats: 20 });
    const users = await Promise.all(Array.from({ length: 3 }, () => registerUser(stack, account.adminToken, account.accountId)));
    workers = Promise.all(users.map((user) => keepCommanding(user, 'flt'))).then(() => undefined);
    const health = (app: AppProcess) => app.url.replace('/graphql', '/health');

    // kill -9 of the query app while commands keep coming, then a restart: it resumes from its checkpoint.
    await until(() => acknowledged.length >= 20, '20 commands were acknowledged');
    await stack.query.kill9();
    const beforeRestart = acknowledged.length;
    await until(() => acknowledged.length >= beforeRestart + 20, 'commands went on while the query app was down');
    stack.query = await AppProcess.start('query', stack.env);

    // The event store unreachable for both apps for a few seconds.
    await until(() => acknowledged.length >= beforeRestart + 40, 'commands went on after the restart');
    expect(await statusOf(health(stack.command))).toBe(200);
    setFaults({ unreachable: true });
    await until(async () => (await statusOf(health(stack.command))) === 503 && (await statusOf(health(stack.query))) === 503, 'both apps say degraded');
    const degraded = (await (await fetch(health(stack.query))).json()) as { error: { service: { degraded: string[] } } };
    expect(degraded.error.service).toMatchObject({ readiness: 'degraded', degraded: expect.arrayContaining(['event store unreachable']) });
    // Liveness does not depend on the stores: neither app is to be restarted for an outage of the event store.
    for (const app of [stack.command, stack.query]) expect(await statusOf(app.url.replace('/graphql', '/health/live'))).toBe(200);
    const refusedBefore = refusals.length;
    await until(() => refusals.length >= refusedBefore + 3, 'commands were refused while the event store was unreachable');
    // A client is told that the service is unavailable for now and when to retry: HTTP 503, Retry-After, SERVICE_UNAVAILABLE.
    const duringOutage = refusals.slice(refusedBefore);
    expect(duringOutage.filter((refusal) => refusal.code === 'INTERNAL_SERVER_ERROR')).toEqual([]);
    expect(duringOutage[0]).toEqual({ code: 'SERVICE_UNAVAILABLE', status: 503, retryAfter: '2', retryAfterSeconds: 2 });
    // So is a query that reads the log itself on the query app; its read models still answer from the read store.
    const operator = await stack.operatorToken();
    const verified = await stack.read(operator, `{ verifyHistory(accountId: "${account.accountId}") { ok } }`);
    expect({ status: verified.status, retryAfter: verified.retryAfter, code: verified.errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      retryAfter: '2',
      code: 'SERVICE_UNAVAILABLE',
    });
    expect((await ok(stack.read(operator, Q.history, { id: account.accountId }))).eventHistory.events.length).toBeGreaterThan(0);
    // An outage is logged as one: at error once when readiness changes, each refused request at warn, no request as a defect.
    const logged = stack.command.logs.flatMap((line) => {
      try {
        return [JSON.parse(line) as { level: number; msg: string }];
      } catch {
        return [];
      }
    });
    expect(logged.some((line) => line.level === 40 && line.msg === 'request refused: a store cannot be reached')).toBe(true);
    expect(logged.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual(['readiness: degraded, /health answers 503']);
    setFaults({ unreachable: false });
    await until(
      async () => (await statusOf(health(stack.command))) === 200 && (await statusOf(health(stack.query))) === 200,
      'both apps are ready again by themselves',
    );
    await until(() => stack.command.logs.some((line) => line.includes('"readiness: ready again"')), 'the command app logs that it is ready again');
    const afterOutage = acknowledged.length;
    await until(() => acknowledged.length >= afterOutage + 20, 'commands are acknowledged again');

    stop = true;
    await workers;
    const last = acknowledged.map(BigInt).reduce((max, position) => (position > max ? position : max), 0n);
    expect(BigInt(globalLog(stack).head)).toBeGreaterThanOrEqual(last);
    // Read-your-writes on the highest acknowledged position: the live read models hold every acknowledged command.
    await ok(stack.read(await stack.operatorToken(), '{ me { id } }', {}, globalLog(stack).head));
    await stack.query.stop();

    const catalog = new EmbeddedReadStoreCatalog(stack.dataDir);
    const served = await catalog.active();
    const { stdout } = await run(process.execPath, [REBUILD], { env: { ...process.env, ...stack.env } });
    const rebuilt = JSON.parse(stdout.trim().split('\n').pop()!) as { generation: string; position: string };
    expect(rebuilt.position).toBe(globalLog(stack).head);
    const live = await catalog.open(served);
    const fresh = await catalog.open(rebuilt.generation);
    try {
      expect(await live.checkpoint(PROJECTION_CHECKPOINT)).toBe(BigInt(rebuilt.position));
      let compared = 0;
      for (const collection of [...new Set(ALL_PROJECTIONS.flatMap((projection) => projection.collections))]) {
        const expected = await fresh.find(collection, {}, { sort: { _id: 1 } });
        expect({ collection, docs: await live.find(collection, {}, { sort: { _id: 1 } }) }).toEqual({ collection, docs: expected });
        compared += expected.length;
      }
      expect(compared).toBeGreaterThan(50);
    } finally {
      await live.close();
      await fresh.close();
      await catalog.close();
    }
    stack.query = await AppProcess.start('query', stack.env);
  }, 180_000);
});
