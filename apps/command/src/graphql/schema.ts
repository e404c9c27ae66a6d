import { join } from 'node:path';
import { DateTimeScalar, schemaFirstOptions, type SchemaFolder } from '@ses/platform';

/**
 * The command API's schema is the SDL in schema/: command.graphql is the contract file verbatim
 * (schema.unit.spec.ts compares it with ../shared/contract); a contract extension the app implements
 * is its file copied beside it; the app's own additions, if any, go in a file of their own there.
 * TypeScript types: ./types.ts, generated from the same files (npm run graphql:types).
 */
export const COMMAND_SCHEMA: SchemaFolder = { dir: join(__dirname, 'schema'), base: 'command.graphql' };

/** The custom scalars the SDL declares, implemented. */
export const COMMAND_SCALARS = [DateTimeScalar];

/** GraphQLModule options that serve the command API's SDL with the resolvers of this app. */
export const commandSchemaOptions = () => schemaFirstOptions(COMMAND_SCHEMA, COMMAND_SCALARS);
