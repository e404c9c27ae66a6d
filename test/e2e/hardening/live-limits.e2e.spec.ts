import { ok } from '../../support/graphql-client';
import { M, openAccount, registerUser, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import { Subscriber } from '../../support/ws-client';
import { eventually, RawGraphqlWs } from './hardening-support';

const USAGE = `subscription($id: ID!) { usageEvents(accountId: $id) { type sessionId accountId userId productId machineId at termLicenseUsage denyReason } }`;
/** The same subscription with a bigger selection (aliases of accountId): about 1.5 KB a message, so a paused reader falls behind fast. */
const USAGE_WIDE = `subscription($id: ID!) { usageEvents(accountId: $id) { type sessionId denyReason ${Array.from({ length: 25 }, (_, i) => `a${i}: accountId`).join(' ')} } }`;

interface LiveHealth {
  connections: number;
  subscriptions: number;
  principals: number;
  topics: number;
  published: number;
  serializations: number;
  deliveries: number;
  slowReadersClosed: number;
}

/**
 * Issue 15, reproduction 4: subscriptions are limited per principal and per app, each event
 * is serialized once for all its subscribers, a slow reader is closed (4413) instead of
 * growing the app's memory, and what subscribers held is given back once they are gone.
 * (Query latency under 200 busy subscriptions is measured in bench/live-fan-out.bench.ts.)
 */
describe('graphql-ws subscriptions: limits, cheap fan-out, bounded buffers', () => {
  jest.setTimeout(60_000);
  const MAX_PER_APP = 45;
  const MAX_BUFFERED = 64 * 1024;
  let stack: SesStack;
  let account: OpenedAccount;
  let auditors: RegisteredUser[];
  let clients: { close(): Promise<unknown> }[] = [];
  const track = <T extends { close(): Promise<unknown> }>(client: T): T => {
    clients.push(client);
    return client;
  };
  const health = async (): Promise<LiveHealth> => (await fetch(stack.query.url.replace('/graphql', '/health/live'))).json() as Promise<LiveHealth>;
  const closeAll = async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    clients = [];
    await eventually(async () => (await health()).subscriptions === 0 && (await health()).connections === 0, 'every subscription closed');
  };
  /** A denied start (the product is not entitled) is one usage event, and never takes a seat. */
  const deniedStart = async (user: RegisteredUser, i: number, productId = 'not-entitled') =>
    ok(stack.mutate(user.token, M.startUsage, { input: { productId, machineId: `m${i}` } }));

  beforeAll(async () => {
    stack = await SesStack.start({ SES_LIVE_MAX_SUBSCRIPTIONS: String(MAX_PER_APP), SES_LIVE_MAX_BUFFERED_BYTES: String(MAX_BUFFERED) });
    account = await openAccount(stack, 'Live Limits Co');
    auditors = [];
    for (let i = 0; i < 3; i++) auditors.push(await registerUser(stack, account.adminToken, account.accountId, { roles: ['AUDITOR'] }));
    await stack.read(account.adminToken, '{ me { id } }', {}, auditors[2].position);
  }, 60_000);
  afterEach(closeAll);
  afterAll(() => stack?.stop());

  it('opens at most 20 subscriptions per principal (the 21st is FORBIDDEN, closing one makes room) and 20 connections', async () => {
    const connection = track(await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${account.adminToken}`));
    const ids = Array.from({ length: 21 }, (_, i) => `s${i + 1}`);
    for (const id of ids) connection.subscribe(id, USAGE, { id: account.accountId });
    // Which one is refused depends on the order their viewers resolve in: exactly one is.
    const refused = () => ids.filter((id) => connection.errorsOf(id).length > 0);
    await eventually(async () => refused().length > 0, 'a 21st subscription refused');
    expect(refused()).toHaveLength(1);
    expect(connection.errorsOf(refused()[0])).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/at most 20 open subscriptions per principal/), extensions: { code: 'FORBIDDEN' } }),
    ]);
    await eventually(async () => (await health()).subscriptions === 20, '20 open subscriptions');
    connection.complete(ids.find((id) => id !== refused()[0])!);
    await eventually(async () => (await health()).subscriptions === 19, 'one closed');
    connection.subscribe('again', USAGE, { id: account.accountId });
    await eventually(async () => (await health()).subscriptions === 20, 'room again');
    expect(connection.errorsOf('again')).toEqual([]);

    // Connections count too: 19 more of the same principal fit, the 21st is refused at connection_init.
    for (let i = 0; i < 19; i++) track(await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${account.adminToken}`));
    await expect(RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${account.adminToken}`)).rejects.toThrow(/closed 4403/);
  });

  it(`serves at most ${MAX_PER_APP} subscriptions in one app, whoever asks`, async () => {
    const [a, b, c] = await Promise.all(auditors.map(async (auditor) => track(await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${auditor.token}`))));
    for (let i = 0; i < 20; i++) a.subscribe(`a${i}`, USAGE, { id: account.accountId });
    for (let i = 0; i < 20; i++) b.subscribe(`b${i}`, USAGE, { id: account.accountId });
    await eventually(async () => (await health()).subscriptions === 40, '40 open subscriptions');
    for (let i = 0; i < 6; i++) c.subscribe(`c${i}`, USAGE, { id: account.accountId });
    // Which of the six is refused depends on the order their viewers resolve in: exactly one is.
    const refused = () => Array.from({ length: 6 }, (_, i) => c.errorsOf(`c${i}`)).filter((errors) => errors.length > 0);
    await eventually(async () => refused().length > 0, 'the app-wide limit reached');
    expect(refused()).toEqual([
      [
        expect.objectContaining({
          message: expect.stringMatching(new RegExp(`serves at most ${MAX_PER_APP} subscriptions`)),
          extensions: { code: 'FORBIDDEN' },
        }),
      ],
    ]);
    expect((await health()).subscriptions).toBe(MAX_PER_APP);
  });

  it('serializes each event once for all subscribers with the same selection, and every one of them receives it', async () => {
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const same = await Promise.all(
      Array.from({ length: 10 }, async () => track(await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${account.adminToken}`))),
    );
    const other = track(await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${auditors[0].token}`));
    same.forEach((connection) => connection.subscribe('usage', USAGE, { id: account.accountId }));
    other.subscribe('wide', USAGE_WIDE, { id: account.accountId });
    other.subscribe('usage', USAGE, { id: account.accountId });
    // Subscriptions are not acknowledged: produce events until every subscriber has one. A subscriber that started
    // late missed the first ones, so counts differ; a marker event seen last by every subscriber means each has
    // everything before it (a subscriber receives its events in order). Then measure on one more.
    const subscribers = [...same.map((s) => () => s.nexts()), () => other.nexts('wide'), () => other.nexts('usage')];
    const lastSession = (nexts: () => { payload?: unknown }[]) =>
      (nexts().at(-1)?.payload as { data?: { usageEvents?: { sessionId?: string } } } | undefined)?.data?.usageEvents?.sessionId;
    let i = 0;
    await eventually(async () => {
      await deniedStart(user, i++);
      return subscribers.every((nexts) => nexts().length > 0);
    }, 'every subscriber served');
    const marker = (await deniedStart(user, i++)).startUsage.sessionId;
    await eventually(async () => subscribers.every((nexts) => lastSession(nexts) === marker), 'the priming events delivered');
    const counts = subscribers.map((nexts) => nexts().length);
    const before = await health();
    const { startUsage } = await deniedStart(user, i++);
    await eventually(async () => subscribers.every((nexts, k) => nexts().length === counts[k] + 1), 'the event delivered');
    const after = await health();
    expect({
      published: after.published - before.published,
      serializations: after.serializations - before.serializations,
      deliveries: after.deliveries - before.deliveries,
    }).toEqual({
      published: 1,
      serializations: 2,
      deliveries: 12,
    });
    for (const s of [...same, other])
      expect(s.nexts().at(-1)?.payload).toMatchObject({ data: { usageEvents: { sessionId: startUsage.sessionId, type: 'DENIED' } } });
    expect((other.nexts('wide').at(-1)?.payload as { data: { usageEvents: Record<string, unknown> } }).data.usageEvents.a24).toBe(account.accountId);
  });

  it('closes a reader that stops reading with 4413 once it holds more than SES_LIVE_MAX_BUFFERED_BYTES unsent, and keeps serving the others', async () => {
    const user = await registerUser(stack, account.adminToken, account.accountId);
    const slow = track(await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${auditors[1].token}`));
    for (let i = 0; i < 20; i++) slow.subscribe(`w${i}`, USAGE_WIDE, { id: account.accountId });
    const fast = track(new Subscriber(stack.query.wsUrl, account.adminToken, user.position));
    await fast.subscribe(USAGE, { id: account.accountId });
    await eventually(async () => (await health()).subscriptions === 21, '21 open subscriptions');
    await fast.prime(() => deniedStart(user, -1));
    slow.ws.pause();
    // Produce events until the app gives up on the slow reader (kernel buffers take the first few hundred KB).
    // Five products are five seat-pool streams: their starts are appended in parallel.
    let produced = 0;
    while ((await health()).slowReadersClosed === 0) {
      if (produced >= 1500) throw new Error(`the slow reader was not closed after ${produced} events`);
      await Promise.all(Array.from({ length: 5 }, (_, k) => deniedStart(user, produced + k, `not-entitled-${k}`)));
      produced += 5;
    }
    slow.ws.resume();
    expect(await slow.closed).toEqual({ code: 4413, reason: expect.stringMatching(/slow reader: more than 65536 bytes unsent/) });
    await fast.waitFor(produced, 15_000);
    expect(fast.received.slice(-1)[0].usageEvents.type).toBe('DENIED');
    await eventually(async () => (await health()).subscriptions === 1, 'the slow reader released');
  });

  it('closes a connection whose message is over SES_LIVE_MAX_MESSAGE_BYTES (64 KiB) with 1009, before parsing it', async () => {
    const connection = await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${account.adminToken}`);
    connection.subscribe('big', `{ __typename ${' '.repeat(70 * 1024)}}`, {});
    expect((await connection.closed).code).toBe(1009);
    const fine = track(await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${account.adminToken}`));
    fine.subscribe('q', `{ __typename ${' '.repeat(60 * 1024)}}`, {});
    await eventually(async () => fine.messages.some((m) => m.type === 'next' && m.id === 'q'), 'the answer to a message under the limit');
  });

  it('gives back what subscribers held once they are gone: no connection, subscription, principal or topic left', async () => {
    const subscribers = await Promise.all(
      Array.from({ length: 15 }, async () => {
        const s = new Subscriber(stack.query.wsUrl, account.adminToken);
        await s.subscribe(USAGE, { id: account.accountId });
        return s;
      }),
    );
    await eventually(async () => (await health()).subscriptions === 15, '15 open subscriptions');
    await Promise.all(subscribers.map((s) => s.close()));
    await eventually(async () => {
      const { connections, subscriptions, principals, topics } = await health();
      return connections + subscriptions + principals + topics === 0;
    }, 'nothing left');
  });
});
