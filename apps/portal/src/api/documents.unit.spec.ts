import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import * as documents from './documents';
import { seatsInUseQuery } from './seats-in-use';

/** The schema an app serves: the contract and the extensions it implements (copied verbatim into the app). */
function servedSchema(app: 'query' | 'command'): GraphQLSchema {
  const dir = join(__dirname, '..', '..', '..', app, 'src', 'graphql', 'schema');
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  // The base document first: the extensions extend its types.
  files.sort((a, b) => Number(b === `${app}.graphql`) - Number(a === `${app}.graphql`));
  return buildSchema(files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'));
}

const operations: [string, string][] = [];
for (const [name, value] of Object.entries(documents) as [string, unknown][]) {
  if (typeof value === 'string' && /^\s*(query|mutation|subscription)\b/.test(value)) operations.push([name, value]);
}

describe('the portal’s GraphQL documents', () => {
  const query = servedSchema('query');
  const command = servedSchema('command');

  it('finds the documents (queries, subscriptions and mutations, with the extensions’)', () => {
    const names = operations.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['ME', 'REGISTER_USERS', 'REGISTRATION_REQUESTS', 'WEBHOOK_DELIVERIES', 'SET_WEBHOOK', 'MY_ADMINISTRATORS']));
  });

  it.each(operations)('%s is valid against the schema its API serves', (_name, text) => {
    const schema = /^\s*mutation\b/.test(text) ? command : query;
    expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
  });

  it('the seats-in-use query built per product is valid too', () => {
    expect(validate(query, parse(seatsInUseQuery(['MSTN', 'AEC']))).map((e) => e.message)).toEqual([]);
  });
});
