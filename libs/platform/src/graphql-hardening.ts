import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError } from '@ses/domain';
import { storeUnavailableError, unavailableStoreOf } from './store-unavailable';

const PASS_THROUGH_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'NOT_CAUGHT_UP',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * A document that does not parse (syntax, or over the token limit) or names no operation to
 * run is as malformed as one that does not validate: clients get one code for all of them.
 */
const MALFORMED_DOCUMENT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * Maps domain errors to the contract's `extensions.code` (+ `fields` for bad input),
 * keeps Apollo's own request-level codes, answers SERVICE_UNAVAILABLE for a store that cannot
 * be reached just now, and hides anything unexpected behind a
 * generic INTERNAL_SERVER_ERROR (logged with its stack, never sent to clients).
 */
export function formatErrorWith(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: original.code, ...(original.fields.length ? { fields: original.fields } : {}) },
      };
    }
    const unreachable = unavailableStoreOf(original);
    if (unreachable) return storeUnavailableError(unreachable, formatted);
    const code = formatted.extensions?.code;
    if (isInputValueError(formatted.message) && (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_USER_INPUT')) {
      // A value of the wrong shape (a date that is no date, a string for an Int) is bad user input in the contract's terms.
      const fields = inputFieldsOf(formatted.message);
      return {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT', fields: fields.length ? fields : literalFieldOf(original) },
      };
    }
    if (typeof code === 'string' && MALFORMED_DOCUMENT_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    }
    if (isApolloClientError(error)) {
      // Apollo's own refusals without a code (an unsupported persisted-query version, a hash that does not match) carry a 4xx status.
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      return { ...formatted, extensions: { ...formatted.extensions, ...(production ? { stacktrace: undefined } : {}) } };
    }
    logger.error({ err: original instanceof Error ? { message: original.message, stack: original.stack } : String(original) }, 'unexpected error');
    return { message: 'internal error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** A GraphQLError that Apollo raised about the request itself, with a 4xx status and no code of its own. */
function isApolloClientError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions?.code !== undefined) return false;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

const INPUT_VALUE_ERROR =
  /^(Variable "\$[^"]+" got invalid value|Variable "\$[^"]+" of (?:non-null|required) type|Expected value of type|Field "[^"]+" of required type|Int cannot represent|Float cannot represent|String cannot represent|Boolean cannot represent|Enum "[^"]+" cannot represent|Value "[^"]*" does not exist in|DateTime cannot parse)/;

function isInputValueError(message: string): boolean {
  return INPUT_VALUE_ERROR.test(message);
}

/** `Variable "$input" got invalid value "x" at "input.startsAt"` names startsAt; literals name what graphql-js quotes. */
function inputFieldsOf(message: string): string[] {
  const at = /at "([^"]+)"/.exec(message)?.[1];
  if (at)
    return [
      at
        .split('.')
        .pop()!
        .replace(/\[\d+\]$/, ''),
    ];
  const field = /Field "([^"]+)" of required type/.exec(message)?.[1];
  if (field) return [field.split('.').pop()!];
  // A top-level variable (`$from` given to `from:`): the client named that value by the variable.
  const variable = /^Variable "\$([^"]+)" (?:got invalid value|of (?:non-null|required) type)/.exec(message)?.[1];
  return variable ? [variable] : [];
}

/**
 * For a bad value written into the query text: the name before `name: <value>` at the error's position.
 * Scanned backwards by hand: a regular expression anchored at the end of the text before the
 * position backtracks quadratically over a long run of name characters (a 10 KB literal made
 * one request take seconds), this is linear in the distance to the colon.
 */
function literalFieldOf(error: unknown): string[] {
  const source = (error as GraphQLError | undefined)?.source?.body;
  const position = (error as GraphQLError | undefined)?.positions?.[0];
  if (!source || position === undefined) return [];
  const ignored = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',';
  let i = position - 1;
  while (i >= 0 && ignored(source[i])) i--;
  if (source[i] !== ':') return [];
  i--;
  while (i >= 0 && ignored(source[i])) i--;
  const end = i + 1;
  while (i >= 0 && /[_0-9A-Za-z]/.test(source[i])) i--;
  const name = source.slice(i + 1, end);
  return /^[_A-Za-z]/.test(name) ? [name] : [];
}

export function productionPlugins(production: boolean): ApolloServerPlugin[] {
  return production ? [ApolloServerPluginLandingPageDisabled()] : [];
}
