import { grantEntitlement, openAccount, registerUser, type RegisteredUser } from '../../support/scenario';
import { SesStack } from '../../support/ses-stack';
import type { AppProcess } from '../../support/app-process';
import { aliased, codesOf, eventCount, eventually, fragmentBomb, post, RawGraphqlWs, type RawAnswer } from './hardening-support';

/**
 * Issue 15, reproductions 1-3, over HTTP against both apps as separate processes.
 *
 * How "refused within 100 ms" is measured: on a shared 2-core machine the wall-clock time
 * a client sees includes whatever else the machine is doing (other test workers, other
 * builds) and says little about the request. The apps therefore report, per answer,
 * `Server-Timing: app;dur=<wall>, cpu;dur=<cpu>`, measured from their first middleware
 * (before the body is read) to the headers: `cpu` is the CPU time the app process spent
 * meanwhile, which other processes cannot inflate. The 100 ms limit is checked on that;
 * the wall time is only checked against a generous bound (it was 30 s and more before).
 */
const LIMIT_MS = 100;
const GENEROUS_WALL_MS = 5_000;

describe('hostile documents are refused before any expensive work (both apps)', () => {
  // Generous: a loaded machine is slow; what is timed is checked on the server's own account (see above).
  jest.setTimeout(60_000);
  let stack: SesStack;
  let user: RegisteredUser;
  const roots = () =>
    [
      [stack.command, 'ping'],
      [stack.query, 'me{id}'],
    ] as [AppProcess, string][];

  beforeAll(async () => {
    stack = await SesStack.start();
    const account = await openAccount(stack, 'Hostile Docs Co');
    await grantEntitlement(stack, account.accountId, { productId: 'cad', seats: 2000 });
    user = await registerUser(stack, account.adminToken, account.accountId);
  }, 60_000);
  afterAll(() => stack?.stop());

  function expectQuickRefusal(answer: RawAnswer, message: RegExp): void {
    expect({ status: answer.status, codes: codesOf(answer) }).toEqual({ status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] });
    expect(answer.body?.errors?.[0].message).toMatch(message);
    expect(answer.body?.data).toBeUndefined();
    expect(answer.server).toBeDefined();
    expect(answer.server!.cpuMs).toBeLessThan(LIMIT_MS);
    expect(answer.clientMs).toBeLessThan(GENEROUS_WALL_MS);
  }

  it('refuses a 2^30 fragment bomb sent without a token within 100 ms, and /health answers right after', async () => {
    for (const [app, leaf] of roots()) {
      const answer = await post(app.url, { query: fragmentBomb(30, leaf.replace('{', ' { ').replace('}', ' }')) }, { timeoutMs: 20_000 });
      expectQuickRefusal(answer, /query complexity \d+ exceeds the limit of 2000/);
      expect((await fetch(app.url.replace('/graphql', '/health'))).status).toBe(200);
    }
  });

  it('refuses 100,000 aliased fields within 100 ms (the lexer stops at the token limit)', async () => {
    for (const [app, field] of roots()) {
      const query = aliased(100_000, field);
      expect(query.length).toBeLessThan(1024 * 1024); // under the body limit: the GraphQL layer has to refuse it
      expectQuickRefusal(await post(app.url, { query }, { timeoutMs: 20_000 }), /more tha[nt] 5000 tokens/);
    }
  });

  it('applies the cost limit whatever the size: 4,999, 5,000, 9,999 and 10,000 aliased fields are all refused, none executed', async () => {
    for (const [app, field] of roots()) {
      for (const n of [4_999, 5_000, 9_999, 10_000]) {
        const answer = await post(app.url, { query: aliased(n, field) }, { authorization: `Bearer ${user.token}` });
        expect([n, answer.status, codesOf(answer)]).toEqual([n, 400, ['GRAPHQL_VALIDATION_FAILED']]);
        expect(answer.body?.data).toBeUndefined();
      }
    }
  });

  it('refuses fragment bombs from 2^14 up on cost, with a token too (they passed the old complexity limit)', async () => {
    for (const [app, leaf] of roots()) {
      for (const levels of [14, 16, 20, 24]) {
        const answer = await post(app.url, { query: fragmentBomb(levels, leaf) }, { authorization: `Bearer ${user.token}` });
        expect([levels, answer.status, answer.body?.errors?.[0].extensions?.limit]).toEqual([levels, 400, 'maxCost']);
      }
    }
  });

  it('appends nothing for 1,000 aliased startUsage in one request, nor for 6 (the root mutation field limit is 5)', async () => {
    const before = eventCount(stack);
    const batch = (n: number) =>
      `mutation {${Array.from({ length: n }, (_, i) => ` s${i}: startUsage(input: { productId: "cad", machineId: "m${i}" }) { sessionId allowed }`).join('')} }`;
    const thousand = await post(stack.command.url, { query: batch(1000) }, { authorization: `Bearer ${user.token}` });
    expect([thousand.status, codesOf(thousand)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
    const six = await post(stack.command.url, { query: batch(6) }, { authorization: `Bearer ${user.token}` });
    expect([six.status, six.body?.errors?.map((e) => e.extensions?.limit)]).toEqual([400, ['maxRootMutationFields']]);
    expect(six.body?.errors?.[0].message).toMatch(/6 mutation fields in one request exceed the limit of 5/);
    expect(eventCount(stack)).toBe(before);
  });

  it('answers a fragment cycle with 400 GRAPHQL_VALIDATION_FAILED on both apps (it was a 500 "internal error")', async () => {
    for (const [app] of roots()) {
      const answer = await post(app.url, { query: 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' });
      expect([answer.status, codesOf(answer)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
      expect(answer.body?.errors?.[0].message).toMatch(/Cannot spread fragment "A" within itself/);
    }
  });

  it('answers a complexity refusal with 400, not 500', async () => {
    const query = `{ ${Array.from({ length: 400 }, (_, i) => `a${i}: me { id email displayName roles status }`).join(' ')} }`;
    const answer = await post(stack.query.url, { query }, { authorization: `Bearer ${user.token}` });
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/complexity 2400 exceeds the limit of 2000/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('answers every other malformed document with 400 and GRAPHQL_VALIDATION_FAILED, with or without a token', async () => {
    const deep = `{ me { ...a } } fragment a on User { groups { members { groups { members { groups { members { groups { members { groups { members { id } } } } } } } } } } }`;
    const malformed: [string, string, RegExp][] = [
      ['syntax', '{ me { id }', /Syntax Error/],
      ['unknown field', '{ nope }', /Cannot query field/],
      ['depth through fragments', deep, /query depth 12 exceeds the limit of 10/],
      ['directives', `{ __typename ${'@skip(if: false) '.repeat(21)} }`, /21 directives exceed the limit of 20/],
      ['aliases', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`, /31 aliases exceed the limit of 30/],
      ['two operations, no name chosen', 'query A { __typename } query B { __typename }', /operation name/i],
      ['empty document', ' ', /Syntax Error/],
      ['unterminated string', '{ me(x: "abc) { id } }', /Syntax Error/],
    ];
    for (const [app] of roots()) {
      for (const authorization of [undefined, `Bearer ${user.token}`]) {
        for (const [what, query, message] of malformed) {
          if (app === stack.command && what === 'depth through fragments') continue; // the command API has no such nesting
          const answer = await post(app.url, { query }, { authorization });
          expect([what, answer.status, codesOf(answer)[0]]).toEqual([what, 400, 'GRAPHQL_VALIDATION_FAILED']);
          expect(answer.body?.errors?.[0].message).toMatch(message);
        }
      }
    }
  });

  it('answers an operation type the app does not serve with 400 GRAPHQL_VALIDATION_FAILED, logged as nothing (it was an internal error)', async () => {
    const unserved: [AppProcess, string][] = [
      [stack.query, 'mutation { n: __type }'],
      [stack.query, 'mutation { me { id } }'],
      [stack.command, 'subscription { ping }'],
    ];
    for (const [app, query] of unserved) {
      for (const authorization of [undefined, `Bearer ${user.token}`]) {
        const answer = await post(app.url, { query }, { authorization });
        expect([query, answer.status, codesOf(answer)]).toEqual([query, 400, ['GRAPHQL_VALIDATION_FAILED']]);
        expect(answer.body?.errors?.[0].message).toMatch(/operation is not supported by this app's schema/);
      }
    }
    expect([...stack.command.logs, ...stack.query.logs].filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });

  it('answers two subscriptions in one document without an operationName over graphql-ws with GRAPHQL_VALIDATION_FAILED (it was logged as an internal error)', async () => {
    const ws = await RawGraphqlWs.connect(stack.query.wsUrl, `Bearer ${user.token}`);
    try {
      const both = 'subscription A { alertRaised(accountId: "a") { id } } subscription B { usageEvents(accountId: "a") { sessionId } }';
      ws.subscribe('two', both, {});
      await eventually(async () => ws.errorsOf('two').length > 0, 'the refusal');
      expect(ws.errorsOf('two').map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(stack.query.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
      expect(ws.ws.readyState).toBe(ws.ws.OPEN);
    } finally {
      ws.ws.close();
    }
  });
});
