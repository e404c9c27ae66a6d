import { join } from 'node:path';
import { DateTimeScalar, schemaFirstOptions, type SchemaFolder } from '@ses/platform';
import { JSONScalar } from './json.scalar';

/**
 * The query API's schema is the SDL in schema/: query.graphql is the contract file verbatim
 * (schema.unit.spec.ts compares it with ../shared/contract); a contract extension the app implements
 * is its file copied beside it; the app's own additions, if any, go in a file of their own there.
 * TypeScript types: ./types.ts, generated from the same files (npm run graphql:types).
 */
export const QUERY_SCHEMA: SchemaFolder = { dir: join(__dirname, 'schema'), base: 'query.graphql' };

/** The custom scalars the SDL declares, implemented. */
export const QUERY_SCALARS = [DateTimeScalar, JSONScalar];

/** GraphQLModule options that serve the query API's SDL with the resolvers of this app. */
export const querySchemaOptions = () => schemaFirstOptions(QUERY_SCHEMA, QUERY_SCALARS);
