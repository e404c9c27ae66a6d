import fc from 'fast-check';
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Hostile requests generated from the contract's schemas with fast-check.
 *
 * Generation is imperative (fc.gen): a `Pick` draws every choice from fast-check, so runs
 * are reproducible from the printed seed. Four families:
 * - documents built from a schema: real fields and arguments, aliases, directives,
 *   named and inline fragments (cycles and bombs included), depth beyond the limit,
 *   variables, arguments of the wrong kind;
 * - garbage: token soup, deep nesting, truncated documents, huge names and strings;
 * - raw HTTP bodies: not JSON, wrong field types, batches, persisted-query extensions;
 * - inputs: variables for a field's arguments, built from the contract's input types and
 *   then broken in exactly one place so that coercion must refuse them (so no request of
 *   this family can ever append anything, whatever token it carries).
 */
export class Pick {
  constructor(private readonly g: fc.GeneratorValue) {}
  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }
  chance(probability: number): boolean {
    return this.int(0, 9999) < probability * 10_000;
  }
  one<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  name(): string {
    return this.one(['a', 'b', 'x1', '_', 'me', 'id', 'ping', '__typename', 'A'.repeat(this.int(1, 300)), `n${this.int(0, 1e6)}`]);
  }
  string(): string {
    return this.g(fc.string, { maxLength: this.int(0, 64), unit: this.one(['grapheme', 'binary', 'grapheme-ascii'] as const) });
  }
}

export const HOSTILE_STRINGS = [
  '',
  ' ',
  'not-an-email',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u0000',
  '\ud800',
  '💥'.repeat(50),
  'x'.repeat(5000),
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '9999-99-99T99:99:99Z',
  'NaN',
  '-0',
  '1e309',
  '{"$gt": ""}',
  '__proto__',
  'constructor',
];

// ---------------------------------------------------------------- documents from a schema

export function schemaDocument(p: Pick, schema: GraphQLSchema): string {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => !!t);
  const root = p.one(roots)!;
  const kind = root === schema.getMutationType() ? 'mutation' : root === schema.getSubscriptionType() ? 'subscription' : p.chance(0.1) ? '' : 'query';
  const composites = Object.values(schema.getTypeMap()).filter((t) => isCompositeType(t) && (!t.name.startsWith('__') || p.chance(0.05)));
  const fragmentNames = Array.from({ length: p.int(0, 4) }, (_, i) => `F${i}`);
  let budget = p.chance(0.1) ? 3000 : p.int(1, 120);
  const variables: string[] = [];

  const directives = (): string => {
    if (!p.chance(0.15)) return '';
    const pool = ['@include(if: true)', '@skip(if: false)', '@include(if: $flag)', '@skip(if: "yes")', '@deprecated', '@nope', '@include'];
    return ` ${Array.from({ length: p.chance(0.1) ? p.int(1, 60) : p.int(1, 2) }, () => p.one(pool)).join(' ')}`;
  };

  const literal = (type: GraphQLInputType | undefined, depth: number): string => {
    const named = type ? getNamedType(type) : undefined;
    const roll = p.int(0, 99);
    if (roll < 8) return `$${p.one(['input', 'id', 'v', 'flag'])}`;
    if (roll < 12) return 'null';
    if (roll < 18) return JSON.stringify(p.one(HOSTILE_STRINGS));
    if (roll < 22) return p.one(['1e999999', '-2147483649', '3.14', '0x10', 'true', 'NOPE_ENUM', '[]', '{}']);
    if (named && isInputObjectType(named) && depth > 0) {
      const fields = Object.values(named.getFields()).filter((f) => isNonNullType(f.type) || p.chance(0.5));
      const extra = p.chance(0.1) ? [`${p.name()}: 1`] : [];
      return `{ ${[...fields.map((f) => `${f.name}: ${literal(f.type, depth - 1)}`), ...extra].join(', ')} }`;
    }
    const nullable = type && isNonNullType(type) ? type.ofType : type;
    if (nullable && isListType(nullable) && depth > 0) {
      const item = nullable.ofType as GraphQLInputType;
      return `[${Array.from({ length: p.int(0, 3) }, () => literal(item, depth - 1)).join(', ')}]`;
    }
    if (named && isEnumType(named)) return p.one(named.getValues()).name;
    if (named?.name === 'Int') return String(p.int(-10, 5000));
    if (named?.name === 'Boolean') return p.one(['true', 'false']);
    if (named?.name === 'DateTime') return JSON.stringify(p.one(['2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 'yesterday']));
    return JSON.stringify(p.chance(0.5) ? p.string() : p.one(HOSTILE_STRINGS));
  };

  const selectionSet = (type: GraphQLNamedType, depth: number): string => {
    const count = budget > 0 ? p.int(1, p.chance(0.05) ? 40 : 5) : 1;
    const selections: string[] = [];
    for (let i = 0; i < count; i++) {
      budget -= 1;
      selections.push(selection(type, depth));
    }
    return `{ ${selections.join(' ')} }`;
  };

  const selection = (type: GraphQLNamedType, depth: number): string => {
    const roll = p.int(0, 99);
    if (roll < 10 && fragmentNames.length) return `...${p.one(fragmentNames)}${directives()}`;
    if (roll < 15 && depth > 0) return `... on ${p.one(composites).name}${directives()} ${selectionSet(p.one(composites), depth - 1)}`;
    const fields: GraphQLField<unknown, unknown>[] = isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];
    const field = fields.length && p.chance(0.9) ? p.one(fields) : undefined;
    const name = field?.name ?? p.one(['__typename', 'nope', 'id', '__schema', '__type']);
    const alias = p.chance(0.15) ? `${p.name()}: ` : '';
    const args = (field?.args ?? []).filter((a) => isNonNullType(a.type) || p.chance(0.4)).map((a) => `${a.name}: ${literal(a.type, 3)}`);
    if (p.chance(0.05)) args.push(`${p.name()}: ${literal(undefined, 1)}`);
    const named = field ? getNamedType(field.type) : undefined;
    let sub = '';
    if (named && isCompositeType(named)) sub = depth > 0 && budget > 0 ? selectionSet(named, depth - 1) : p.chance(0.3) ? '' : '{ __typename }';
    else if (p.chance(0.03)) sub = '{ id }';
    return `${alias}${name}${args.length ? `(${args.join(', ')})` : ''}${directives()} ${sub}`;
  };

  const depth = p.chance(0.2) ? p.int(8, 16) : p.int(0, 5);
  const body = selectionSet(root, depth);
  if (p.chance(0.3)) variables.push(...['$id: ID', '$v: String', '$flag: Boolean!', '$input: Nope', '$x: [[Int!]!]'].filter(() => p.chance(0.5)));
  const name = p.chance(0.3) ? ` ${p.name()}` : '';
  const header = kind === '' ? '' : `${kind}${name}${variables.length ? `(${variables.join(', ')})` : ''}${directives()} `;
  const fragments = fragmentNames.map((fragment) => {
    const on = p.one(composites);
    return `fragment ${fragment} on ${on.name}${directives()} ${selectionSet(on, p.int(0, 3))}`;
  });
  const bomb = p.chance(0.1) ? fragmentBombTail(p, root.name) : '';
  return `${header}${body} ${fragments.join(' ')}${bomb}`;
}

/** Adds `fragment B0 on Root { ...B1 ...B1 }` ... chains (fan-out 2-4, up to 40 levels); the operation does not always use them. */
function fragmentBombTail(p: Pick, rootType: string): string {
  const levels = p.int(1, 40);
  const fan = p.int(2, 4);
  let tail = '';
  for (let i = 0; i < levels; i++) tail += ` fragment B${i} on ${rootType} { ${`...B${i + 1} `.repeat(fan)}}`;
  return `${tail} fragment B${levels} on ${rootType} { __typename ...B0 }`.replace('...B0 }', p.chance(0.5) ? '...B0 }' : '}');
}

// ---------------------------------------------------------------- garbage documents

export function garbageDocument(p: Pick, valid: string): string {
  const roll = p.int(0, 9);
  switch (roll) {
    case 0: {
      const alphabet = [
        '{',
        '}',
        '(',
        ')',
        '[',
        ']',
        ':',
        '$',
        '@',
        '!',
        '...',
        '=',
        '|',
        '&',
        ',',
        '"',
        '"""',
        '#',
        'query',
        'fragment',
        'on',
        'me',
        'x',
        '1',
        '\n',
      ];
      return Array.from({ length: p.int(1, 3000) }, () => p.one(alphabet)).join(p.one(['', ' ']));
    }
    case 1: {
      const n = p.int(1, 4000);
      return `${'{a'.repeat(n)}${'}'.repeat(p.chance(0.5) ? n : p.int(0, n))}`;
    }
    case 2:
      return valid.slice(0, p.int(0, valid.length));
    case 3:
      return `{ ${'a'.repeat(p.int(1, 200_000))} }`;
    case 4:
      return `{ me(id: "${'x'.repeat(p.int(1, 500_000))}") { id } }`;
    case 5:
      return `{ me(id: """${p.string()}`;
    case 6:
      return `query ${'($a: Int)'.repeat(p.int(1, 500))} { __typename }`;
    case 7:
      return Array.from({ length: p.int(2, 300) }, (_, i) => `query Q${i % 3} { __typename }`).join(' ');
    case 8:
      return `{ __typename ${'@skip(if: false) '.repeat(p.int(1, 2000))}}`;
    default:
      return p.string();
  }
}

// ---------------------------------------------------------------- raw HTTP bodies

export interface RawBody {
  body: string;
  contentType: string;
}

export function rawBody(p: Pick, valid: string): RawBody {
  const json = (value: unknown): RawBody => ({ body: JSON.stringify(value), contentType: 'application/json' });
  switch (p.int(0, 13)) {
    case 0:
      return { body: p.string(), contentType: 'application/json' };
    case 1:
      return json({ query: p.one([123, null, true, [], {}, ['{ __typename }']]) });
    case 2:
      return json({ query: valid, variables: p.one(['string', 1, [1, 2], true]) });
    case 3:
      return json({ query: valid, operationName: p.one([1, {}, [], 'NoSuchOperation']) });
    case 4:
      return json([{ query: valid }, { query: valid }]);
    case 5:
      return json({ query: valid, extensions: { persistedQuery: { version: 1, sha256Hash: p.one(['abc', 'f'.repeat(64), '']) } } });
    case 6:
      return json({ extensions: { persistedQuery: { version: p.one([1, 2, 'x']), sha256Hash: 'f'.repeat(64) } } });
    case 7: {
      const depth = p.int(1, 20_000);
      return { body: `{"query":"{ __typename }","variables":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}`, contentType: 'application/json' };
    }
    case 8:
      return {
        body: JSON.stringify({ query: valid }),
        contentType: p.one(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/graphql']),
      };
    case 9:
      return { body: '', contentType: 'application/json' };
    case 10:
      return json({ query: valid, variables: { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } } });
    case 11:
      return { body: `{"query": "{ __typename }", "query": "{ nope }"}`, contentType: 'application/json' };
    case 12:
      return { body: JSON.stringify({ query: valid }).slice(0, p.int(0, valid.length)), contentType: 'application/json' };
    default:
      return json({ query: valid, variables: Object.fromEntries(Array.from({ length: p.int(1, 2000) }, (_, i) => [`v${i}`, i])) });
  }
}

// ---------------------------------------------------------------- invalid inputs from the contract's input types

export interface BrokenInput {
  field: string;
  query: string;
  variables: Record<string, unknown>;
  /** What was broken (for the failure message). */
  broken: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A valid-shaped random value of an input type (the contract's scalars: ID, String, Int, Float, Boolean, DateTime; enums; lists; input objects). */
export function valueOf(p: Pick, type: GraphQLInputType, depth = 4): Json {
  if (isNonNullType(type)) return valueOf(p, type.ofType, depth);
  if (isListType(type)) return Array.from({ length: depth > 0 ? p.int(0, 3) : 0 }, () => valueOf(p, type.ofType, depth - 1));
  if (isInputObjectType(type)) {
    const out: Record<string, Json> = {};
    for (const field of Object.values(type.getFields())) if (isNonNullType(field.type) || p.chance(0.6)) out[field.name] = valueOf(p, field.type, depth - 1);
    return out;
  }
  if (isEnumType(type)) return p.one(type.getValues()).value as string;
  switch (type.name) {
    case 'Int':
      return p.int(-1000, 100_000);
    case 'Float':
      return p.int(-1000, 1000) / 7;
    case 'Boolean':
      return p.chance(0.5);
    case 'DateTime':
      return p.one(['2026-01-01T00:00:00Z', '2030-06-30T12:30:00+02:00', '1999-12-31T23:59:59.999Z']);
    case 'ID':
      return p.one(['no-such-id', 'acc-1', 'u-1', `${p.int(0, 1e9)}`]);
    default:
      return p.chance(0.5) ? p.string() : p.one(HOSTILE_STRINGS);
  }
}

interface Site {
  path: string[];
  type: GraphQLInputType;
  get(): Json;
  set(value: Json | undefined): void;
}

/** Every place of a value (the value itself, fields of objects, items of lists), with its type. */
function sitesOf(type: GraphQLInputType, holder: { value: Json }, path: string[] = []): Site[] {
  const site: Site = { path, type, get: () => holder.value, set: (value) => (holder.value = value as Json) };
  const named = isNonNullType(type) ? type.ofType : type;
  const value = holder.value;
  const sites = [site];
  if (isInputObjectType(named) && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const field of Object.values(named.getFields())) {
      if (!(field.name in value)) continue;
      const child = {
        get value() {
          return value[field.name];
        },
        set value(v: Json) {
          if (v === undefined) delete value[field.name];
          else value[field.name] = v;
        },
      };
      sites.push(...sitesOf(field.type, child, [...path, field.name]));
    }
  } else if (isListType(named) && Array.isArray(value)) {
    value.forEach((_, i) => {
      const child = {
        get value() {
          return value[i];
        },
        set value(v: Json) {
          value[i] = v;
        },
      };
      sites.push(...sitesOf(named.ofType, child, [...path, String(i)]));
    });
  }
  return sites;
}

/** Breaks the value in one place so that GraphQL input coercion must refuse it. Returns what was done. */
function breakOnePlace(p: Pick, type: GraphQLInputType, holder: { value: Json }): string {
  const sites = sitesOf(type, holder);
  const site = p.one(sites);
  const where = site.path.join('.') || '(the variable)';
  const nullable = !isNonNullType(site.type);
  const named = isNonNullType(site.type) ? site.type.ofType : site.type;
  if (isInputObjectType(named)) {
    const required = Object.values(named.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    const roll = p.int(0, 2);
    if (roll === 0 && required.length && site.get() && typeof site.get() === 'object') {
      const field = p.one(required);
      delete (site.get() as Record<string, Json>)[field.name];
      return `${where}: required ${field.name} removed`;
    }
    if (roll === 1 && site.get() && typeof site.get() === 'object' && !Array.isArray(site.get())) {
      (site.get() as Record<string, Json>).notAField = 1;
      return `${where}: unknown field added`;
    }
    site.set('not an object');
    return `${where}: a string for an input object`;
  }
  if (isListType(named)) {
    // Not a plain non-list value: GraphQL coerces one into a list of one item.
    site.set([{ no: 'pe' }]);
    return `${where}: a list of the wrong items`;
  }
  if (isEnumType(named)) {
    site.set(p.one(['NOT_A_VALUE', 7, '']));
    return `${where}: not an enum value`;
  }
  if (isScalarType(named)) {
    const wrong: Json[] = [{ an: 'object' }, ['a', 'list', 'of', { objects: true }]];
    if (named.name === 'Int') wrong.push(2 ** 40, 1.5, '12');
    if (named.name === 'String') wrong.push(12, true);
    if (named.name === 'Boolean') wrong.push('true', 0);
    if (named.name === 'DateTime') wrong.push('2026-02-30T00:00:00Z', '2026-01-01', '2026-01-01T25:00:00Z', 1767225600000);
    if (!nullable && p.chance(0.2)) {
      site.set(null);
      return `${where}: null for a non-null ${named.name}`;
    }
    const value = p.one(wrong);
    site.set(value);
    return `${where}: ${JSON.stringify(value).slice(0, 40)} for ${named.name}`;
  }
  site.set({ an: 'object' });
  return `${where}: an object`;
}

/** A field with arguments (mutation for the command API, query for the query API), its arguments as variables, one of them broken. */
export function brokenInput(p: Pick, schema: GraphQLSchema, root: 'mutation' | 'query'): BrokenInput {
  const type = root === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
  const fields = Object.values(type.getFields()).filter(
    (f) => f.args.length > 0 && f.args.some((a) => !['JSON'].includes(getNamedType(a.type).name)) && isObjectOrScalarResult(f),
  );
  const field = p.one(fields);
  const args = field.args.filter((a) => isNonNullType(a.type) || p.chance(0.5));
  if (!args.length) args.push(field.args[0]);
  const variables: Record<string, Json> = {};
  for (const arg of args) variables[arg.name] = valueOf(p, arg.type);
  const target = p.one(args.filter((a) => getNamedType(a.type).name !== 'JSON'));
  const holder = { value: variables[target.name] };
  const broken = breakOnePlace(p, target.type, holder);
  if (holder.value === undefined) delete variables[target.name];
  else variables[target.name] = holder.value;
  const definitions = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const selection = isCompositeType(named) ? ' { __typename }' : '';
  return {
    field: field.name,
    query: `${root}(${definitions}) { ${field.name}(${call})${selection} }`,
    variables,
    broken: `${field.name} ${target.name} ${broken}`,
  };
}

function isObjectOrScalarResult(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  return isObjectType(named) || isScalarType(named) || isEnumType(named) || isUnionType(named) || isInterfaceType(named);
}
