import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLScalarType, GraphQLSchema } from 'graphql';

/**
 * Both APIs are schema-first: the SDL in an app's `src/graphql/schema/` folder is the schema
 * it serves (a verbatim copy of its contract file, any contract extensions it implements,
 * and any additions of its own), and TypeScript types are generated from it
 * (`npm run graphql:types`). See README "GraphQL schema".
 */
export interface SchemaFolder {
  /** The folder that holds the `.graphql` files. */
  dir: string;
  /** The contract's base file, e.g. `command.graphql`: read first, so the schema keeps the contract's order. */
  base: string;
}

/** Every `.graphql` file of the folder, the base file first, then the rest by name. */
export function schemaFiles({ dir, base }: SchemaFolder): string[] {
  const others = readdirSync(dir)
    .filter((name) => name.endsWith('.graphql') && name !== base)
    .sort();
  return [base, ...others];
}

/** The SDL of the folder's files, concatenated (extension files use `extend type`). */
export function readSchema(folder: SchemaFolder): string {
  return schemaFiles(folder)
    .map((name) => readFileSync(join(folder.dir, name), 'utf8'))
    .join('\n');
}

/** `Query.x`, `Mutation.y`, `Subscription.z` fields that no resolver serves (they would answer null or nothing). */
export function unresolvedRootFields(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const served = root === schema.getSubscriptionType() ? field.subscribe : field.resolve;
      if (!served) missing.push(`${root.name}.${field.name}`);
    }
  }
  return missing;
}

/**
 * What GraphQLModule needs to serve a folder of SDL: the type definitions, the scalars'
 * implementations, and a check that fails start-up when a Query, Mutation or Subscription
 * field has no resolver (an SDL file added without its resolvers).
 */
export function schemaFirstOptions(
  folder: SchemaFolder,
  scalars: readonly GraphQLScalarType[],
): Pick<ApolloDriverConfig, 'typeDefs' | 'resolvers' | 'transformSchema'> {
  return {
    typeDefs: readSchema(folder),
    resolvers: Object.fromEntries(scalars.map((scalar) => [scalar.name, scalar])),
    transformSchema: (schema: GraphQLSchema) => {
      const missing = unresolvedRootFields(schema);
      if (missing.length) throw new Error(`GraphQL fields without a resolver: ${missing.join(', ')} (add them to a @Resolver class)`);
      return schema;
    },
  };
}
