import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedReadStoreCatalog } from '@ses/read-store';
import { ALL_PROJECTIONS } from '../../../apps/query/src/projections/all-projections';
import { PROJECTION_CHECKPOINT } from '../../../apps/query/src/projections/projection-engine';
import { LAYOUT_CHECKPOINT, LAYOUT_COLLECTION } from '../../../apps/query/src/read-models/read-model-layout';
import { ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';

const run = promisify(execFile);
const REBUILD = join(__dirname, '..', '..', '..', 'dist', 'scripts', 'rebuild-projections.js');

async function rebuild(stack: SesStack): Promise<{ generation: string; events: number; position: string }> {
  const { stdout } = await run(process.execPath, [REBUILD], { env: { ...process.env, ...stack.env } });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

/** Activity that touches every read model: directory, history, sessions, check-outs, alerts. */
async function someActivity(stack: SesStack): Promise<string> {
  const account = await openAccount(stack, 'Rebuild Co');
  await grantEntitlement(stack, account.accountId, { productId: 'rb', seats: 2 });
  await ok(stack.mutate(account.adminToken, M.setAlertRule, { input: { accountId: account.accountId, productId: 'rb', thresholdSeats: 1 } }));
  const user = await registerUser(stack, account.adminToken, account.accountId, { roles: ['AUDITOR'] });
  const { createGroup } = await ok(stack.mutate(account.adminToken, M.createGroup, { input: { accountId: account.accountId, name: 'G', productIds: ['rb'] } }));
  await ok(stack.mutate(account.adminToken, M.addGroupMember, { input: { groupId: createGroup.groupId, userId: user.userId } }));
  const { startUsage } = await ok(stack.mutate(user.token, M.startUsage, { input: { productId: 'rb', machineId: 'pc' } }));
  await ok(stack.mutate(user.token, M.endUsage, { input: { sessionId: startUsage.sessionId } }));
  const { checkOut } = await ok(stack.mutate(user.token, M.checkOut, { input: { productId: 'rb', machineId: 'pc', days: 2 } }));
  await ok(stack.mutate(user.token, M.checkIn, { input: { checkoutId: checkOut.checkoutId } }));
  const { revokeRole } = await ok(stack.mutate(account.adminToken, M.revokeRole, { input: { userId: user.userId, role: 'AUDITOR' } }));
  return revokeRole.position;
}

describe('projections:rebuild', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('rebuilds from scratch exactly the read models the live projection produced (every document)', async () => {
    const position = await someActivity(stack);
    await someActivity(stack);
    const last = await someActivity(stack);
    // Read-your-writes: once this answers, the live read models include every event.
    await ok(stack.read(await stack.operatorToken(), '{ me { id } }', {}, last));
    expect(BigInt(last)).toBeGreaterThan(BigInt(position));
    await stack.query.stop();
    // The generation the query app served (the initial one, unless another test rebuilt before).
    const catalog = new EmbeddedReadStoreCatalog(stack.dataDir);
    const served = await catalog.active();

    const result = await rebuild(stack);
    expect(result.position).toBe(last);
    expect(result.generation).not.toBe(served);
    expect(await catalog.active()).toBe(result.generation);
    const live = await catalog.open(served);
    const rebuilt = await catalog.open(result.generation);
    try {
      expect(await rebuilt.checkpoint(PROJECTION_CHECKPOINT)).toBe(await live.checkpoint(PROJECTION_CHECKPOINT));
      const collections = [...new Set(ALL_PROJECTIONS.flatMap((p) => p.collections))];
      let compared = 0;
      for (const collection of collections) {
        const expected = await live.find(collection, {}, { sort: { _id: 1 } });
        expect({ collection, docs: await rebuilt.find(collection, {}, { sort: { _id: 1 } }) }).toEqual({ collection, docs: expected });
        compared += expected.length;
      }
      expect(compared).toBeGreaterThan(30);
    } finally {
      await live.close();
      await rebuilt.close();
    }
    await stack.restart('query');
  }, 60_000);

  it('swaps the rebuilt generation in while the query API keeps answering, and keeps projecting after it', async () => {
    const before = await someActivity(stack);
    const operator = await stack.operatorToken();
    let stop = false;
    let answered = 0;
    const failures: unknown[] = [];
    const readers = (async () => {
      while (!stop) {
        const res = await stack.read(operator, '{ me { id } }', {}, before);
        if (res.errors) failures.push(res.errors);
        else answered += 1;
      }
    })();
    const result = await rebuild(stack);
    const healthUrl = stack.query.url.replace('/graphql', '/health');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const health = (await (await fetch(healthUrl)).json()) as { details: { service: { readModelGeneration: string } } };
      if (health.details.service.readModelGeneration === result.generation) break;
      if (Date.now() > deadline) throw new Error(`query app did not switch to ${result.generation}: ${JSON.stringify(health)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = await someActivity(stack);
    const me = await stack.read(operator, '{ me { id } }', {}, after);
    stop = true;
    await readers;
    expect(me.errors).toBeUndefined();
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(0);
  }, 60_000);

  it('rebuilds, before serving, read models that another version of a projection wrote', async () => {
    const account = await openAccount(stack, 'Upgrade Co');
    await grantEntitlement(stack, account.accountId, { productId: 'up', seats: 2 });
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const { startUsage } = await ok(stack.mutate(user.token, M.startUsage, { input: { productId: 'up', machineId: 'pc' } }));
    const { endUsage } = await ok(stack.mutate(user.token, M.endUsage, { input: { sessionId: startUsage.sessionId } }));
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const report = async (position?: string) =>
      (
        await ok(
          stack.read(
            account.adminToken,
            `query($id: ID!, $from: DateTime!, $to: DateTime!) { usageReport(accountId: $id, from: $from, to: $to, groupBy: [PRODUCT]) { productId sessions distinctUsers } }`,
            { id: account.accountId, from, to },
            position,
          ),
        )
      ).usageReport;
    const expected = await report(endUsage.position);
    expect(expected).toEqual([{ productId: 'up', sessions: 1, distinctUsers: 1 }]);
    await stack.query.stop();

    // What an older release would have left: its version on record, documents of another shape.
    const catalog = new EmbeddedReadStoreCatalog(stack.dataDir);
    const previous = await catalog.active();
    const store = await catalog.open(previous);
    try {
      await store.commit(LAYOUT_CHECKPOINT, 1n, [
        { kind: 'upsert', collection: LAYOUT_COLLECTION, id: 'projections', update: { $set: { 'versions.usage-analytics': 1 } }, position: 1n },
      ]);
      await store.commit('older-release', 10n ** 12n, [{ kind: 'delete', collection: 'usageDays', filter: {}, position: 10n ** 12n }]);
      expect(await store.count('usageDays')).toBe(0);
    } finally {
      await store.close();
    }

    await stack.restart('query');
    const health = (await (await fetch(stack.query.url.replace('/graphql', '/health'))).json()) as { details: { service: { readModelGeneration: string } } };
    expect(health.details.service.readModelGeneration).not.toBe(previous);
    expect(await catalog.active()).toBe(health.details.service.readModelGeneration);
    expect(await report()).toEqual(expected);
    await catalog.close();
  }, 60_000);
});
