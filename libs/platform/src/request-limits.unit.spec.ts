import { buildSchema, parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import { DEFAULT_GRAPHQL_LIMITS, type GraphqlLimits } from './config';
import { parseAndValidate, requestLimitsRule } from './request-limits';

const schema = buildSchema(`
  type Query { ping: String me: User }
  type User { id: ID! email: String friends: [User!]! }
  type Mutation { startUsage(productId: String): String }
`);
const limits: GraphqlLimits = { ...DEFAULT_GRAPHQL_LIMITS, maxCost: 2000, maxDepth: 10, maxAliases: 30, maxDirectives: 20, maxRootMutationFields: 5 };

function check(source: string, custom: Partial<GraphqlLimits> = {}): readonly GraphQLError[] {
  return validate(schema, parse(source, { maxTokens: 1_000_000 }), [...specifiedRules, requestLimitsRule({ ...limits, ...custom })]);
}
const limitOf = (errors: readonly GraphQLError[]) => errors.map((e) => e.extensions.limit);

/** `query { ...f0 } fragment f0 on Query { ...f1 ...f1 } ... fragment fN on Query { me { id } }`: 2^N fields once expanded. */
function fragmentBomb(levels: number, leaf = 'me { id }', type = 'Query'): string {
  let source = `query { ...f0 }`;
  for (let i = 0; i < levels; i++) source += ` fragment f${i} on ${type} { ...f${i + 1} ...f${i + 1} }`;
  return `${source} fragment f${levels} on ${type} { ${leaf} }`;
}

describe('request limits (one gate before the rest of validation)', () => {
  it('lets an ordinary query through', () => {
    expect(check(`query Me { me { id email friends { id } } ping }`)).toEqual([]);
  });

  it('measures a 2^30 fragment bomb in a few steps and refuses its cost (the old limit gave up at 10,000 nodes)', () => {
    const errors = check(fragmentBomb(30));
    expect(limitOf(errors)).toEqual(['maxCost']);
    expect(errors[0].message).toMatch(/query complexity \d+ exceeds the limit of 2000/);
    expect(errors[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', max: 2000 });
    expect(errors[0].extensions.found as number).toBeGreaterThan(2 ** 30);
  });

  it('refuses 10,000 aliased fields on cost and aliases, where 9,999 and 10,000 were treated differently before', () => {
    for (const n of [9_999, 10_000]) {
      const errors = check(`{ ${Array.from({ length: n }, (_, i) => `a${i}: ping`).join(' ')} }`);
      expect(limitOf(errors)).toEqual(['maxCost', 'maxAliases']);
      expect(errors[0].extensions.found).toBe(n);
    }
  });

  it('does not multiply cost by page sizes (they are bounded by the domain): a 1,000-item page costs its fields', () => {
    const paged = buildSchema(`type Query { page(first: Int): [Item!]! } type Item { a: Int b: Int c: Int }`);
    expect(validate(paged, parse('{ page(first: 1000) { a b c } }'), [requestLimitsRule(limits)])).toEqual([]);
  });

  it('counts depth, aliases and directives through fragments', () => {
    const deep = `{ me { ...a } } fragment a on User { friends { ...b } } fragment b on User { friends { friends { id } } }`;
    expect(check(deep, { maxDepth: 4 }).map((e) => [e.extensions.limit, e.extensions.found])).toEqual([['maxDepth', 5]]);
    expect(check(deep, { maxDepth: 5 })).toEqual([]);
    const aliased = `{ ...x ...y } fragment x on Query { a: ping b: ping } fragment y on Query { ...x c: ping }`;
    expect(check(aliased, { maxAliases: 4 }).map((e) => e.extensions.found)).toEqual([5]);
    const directed = `{ ...x @include(if: true) } fragment x on Query { ping @skip(if: false) me @include(if: true) { id } }`;
    expect(check(directed, { maxDirectives: 2 }).map((e) => [e.extensions.limit, e.extensions.found])).toEqual([['maxDirectives', 3]]);
  });

  it('limits root mutation fields per request, through fragments', () => {
    const batch = (n: number) => `mutation { ${Array.from({ length: n }, (_, i) => `s${i}: startUsage(productId: "p")`).join(' ')} }`;
    expect(check(batch(5))).toEqual([]);
    expect(limitOf(check(batch(6)))).toEqual(['maxRootMutationFields']);
    expect(limitOf(check(`mutation { ...m ... on Mutation { ...m } } fragment m on Mutation { a: startUsage b: startUsage c: startUsage }`))).toEqual([
      'maxRootMutationFields',
    ]);
  });

  it('stops validation at a refused document: no specified rule walks it', () => {
    const errors = check(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: nosuchfield`).join(' ')} }`);
    expect(limitOf(errors)).toEqual(['maxAliases']);
    expect(errors.some((e) => /Cannot query field/.test(e.message))).toBe(false);
  });

  it('leaves a fragment cycle to graphql-js, which reports it (no stack overflow)', () => {
    const errors = check(`query { ...A } fragment A on Query { ping ...B } fragment B on Query { ...A }`);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it('parseAndValidate (graphql-ws): the token limit and every refusal become GRAPHQL_VALIDATION_FAILED errors, never exceptions', () => {
    const tooMany = parseAndValidate(schema, `{ ${'ping '.repeat(200)} }`, { ...limits, maxTokens: 100 });
    expect('errors' in tooMany && tooMany.errors.map((e) => [e.extensions.code, e.message])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', expect.stringMatching(/more tha[nt] 100 tokens/)],
    ]);
    const syntax = parseAndValidate(schema, `{ ping `, limits);
    expect('errors' in syntax && syntax.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const bomb = parseAndValidate(schema, fragmentBomb(30), limits);
    expect('errors' in bomb && bomb.errors.map((e) => e.extensions.limit)).toEqual(['maxCost']);
    const unknown = parseAndValidate(schema, `{ nope }`, limits);
    expect('errors' in unknown && unknown.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(parseAndValidate(schema, `{ ping }`, limits)).toHaveProperty('document');
  });
});

describe('operation types the schema lacks', () => {
  const queryOnly = buildSchema(`type Query { ping: String }`);
  const run = (source: string) => validate(queryOnly, parse(source), [requestLimitsRule(limits), ...specifiedRules]);

  it('graphql-js 16 alone lets them through to execution, which throws (answered as an internal error)', () => {
    expect(validate(queryOnly, parse('mutation { n: __type }'), specifiedRules)).toEqual([]);
  });

  it('refuses a mutation or subscription on a schema without that root type, before any other rule', () => {
    for (const source of ['mutation { n: __type }', 'mutation { ping }', 'subscription { ping }', 'query { ping } mutation M { anything }']) {
      const errors = run(source);
      expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([
        [expect.stringMatching(/^the (mutation|subscription) operation is not supported by this app's schema$/), 'GRAPHQL_VALIDATION_FAILED'],
      ]);
    }
    expect(run('query { ping }')).toEqual([]);
  });
});

describe('subscriptions at the gate', () => {
  const withSubscriptions = buildSchema(`type Query { ping: String } type Subscription { ticks(n: Int): Int }`);
  const run = (source: string, subscriptions: 'refuse' | 'guard') =>
    validate(withSubscriptions, parse(source), [requestLimitsRule(limits, { subscriptions }), ...specifiedRules]);

  it('refuses subscription operations over HTTP before graphql-js would collect their fields', () => {
    expect(run('subscription { ticks }', 'refuse').map((e) => e.message)).toEqual([expect.stringMatching(/served over graphql-ws/)]);
  });

  it('turns what SingleFieldSubscriptionsRule would throw into a validation error (graphql-ws)', () => {
    // Without the gate graphql-js throws here: the rule collects root fields without variable values.
    expect(() => validate(withSubscriptions, parse('subscription($f: Boolean!) { ticks @skip(if: $f) }'), specifiedRules)).toThrow(/runtime value/);
    expect(run('subscription($f: Boolean!) { ticks @skip(if: $f) }', 'guard').map((e) => e.message)).toEqual([expect.stringMatching(/runtime value/)]);
    expect(run('subscription { ticks @include(if: "yes") }', 'guard')[0].message).toMatch(/cannot be chosen before it runs/);
    expect(run('subscription { ticks }', 'guard')).toEqual([]);
  });
});
