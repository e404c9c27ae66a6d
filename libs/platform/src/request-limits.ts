import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { collectFields } from 'graphql/execution/collectFields';
import type { GraphqlLimits } from './config';

/**
 * Request limits, checked before any expensive work (issue 15).
 *
 * - Tokens: graphql-js's own `maxTokens` parse option stops the lexer at the limit, so a
 *   100,000-alias document costs what its first `maxTokens` tokens cost.
 * - Depth, aliases and directives: measured by @escape.tech/graphql-armor's rules, which
 *   walk each operation through its fragments and remember every fragment's figure, so a
 *   fragment spread twice per level for 30 levels (2^30 fields once expanded) is measured
 *   in 30 steps.
 * - Cost (every field selected costs 1, what graphql-query-complexity's simpleEstimator
 *   counted before) and root mutation fields: `fieldCount` and `rootFieldCount` below, the
 *   same memoised walk (why not armor's cost rule: see fieldCount).
 *
 * Why a gate and not armor's rules as they come: graphql-armor's validation rules report
 * from `OperationDefinition`, after which graphql-js still runs every specified rule over
 * the refused document (OverlappingFieldsCanBeMerged alone may spend 100-200 ms of its
 * budget on a few hundred same-named fields), and armor's max-tokens plugin throws from
 * an Apollo hook, which Apollo Server 5 answers with HTTP 500. This rule measures on
 * `Document` enter, reports every limit exceeded and returns `null`, which tells
 * graphql-js's visitor to skip the document: no other rule walks a refused document.
 * graphql-query-complexity (used before) gave up at 10,000 nodes by throwing, and
 * graphql-depth-limit expanded fragments without memo and overflowed the stack on a
 * fragment cycle (HTTP 500).
 */
export interface GateOptions {
  /**
   * 'refuse' (HTTP: subscriptions are served over graphql-ws only) or 'guard' (graphql-ws):
   * graphql-js's SingleFieldSubscriptionsRule collects the root fields with no variable
   * values and *throws* (HTTP 500, graphql-ws 4500) on `@skip(if: $var)` or a non-Boolean
   * literal there; the gate runs the same collection first and reports what it throws.
   */
  subscriptions: 'refuse' | 'guard';
}

export function requestLimitsRule(limits: GraphqlLimits, options: GateOptions = { subscriptions: 'refuse' }): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document: {
      enter(document: DocumentNode) {
        const refusals = [
          ...unsupportedOperationRefusals(context, document),
          ...measureAgainstLimits(context, document, limits),
          ...subscriptionRefusals(context, document, options),
        ];
        if (refusals.length === 0) return undefined;
        for (const refusal of refusals) context.reportError(refusal);
        return null;
      },
    },
  });
}

/**
 * graphql-js 16 has no rule for an operation type the schema lacks (`mutation { … }` on the
 * query app): its field rules skip a selection with no parent type, so the document passes
 * validation and execution throws "Schema is not configured to execute mutation operation",
 * which is answered as an internal error. graphql-js 17's KnownOperationTypesRule refuses it;
 * the gate does the same here.
 */
function unsupportedOperationRefusals(context: ValidationContext, document: DocumentNode): GraphQLError[] {
  const schema = context.getSchema();
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && !schema.getRootType(d.operation))
    .map(
      (operation) =>
        new GraphQLError(`the ${operation.operation} operation is not supported by this app's schema`, {
          nodes: [operation],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
    );
}

function subscriptionRefusals(context: ValidationContext, document: DocumentNode, options: GateOptions): GraphQLError[] {
  const subscriptions = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription',
  );
  const subscriptionType = context.getSchema().getSubscriptionType();
  if (subscriptions.length === 0 || !subscriptionType) return [];
  if (options.subscriptions === 'refuse') {
    return subscriptions.map(
      (operation) =>
        new GraphQLError('subscriptions are served over graphql-ws (graphql-transport-ws) on this path, not over HTTP', {
          nodes: [operation],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
    );
  }
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const refusals: GraphQLError[] = [];
  for (const operation of subscriptions) {
    try {
      collectFields(context.getSchema(), fragments, Object.create(null), subscriptionType, operation.selectionSet);
    } catch (error) {
      refusals.push(
        new GraphQLError(`a subscription's root field cannot be chosen before it runs: ${error instanceof Error ? error.message : String(error)}`, {
          nodes: [operation],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      );
    }
  }
  return refusals;
}

export type LimitName = 'maxCost' | 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxRootMutationFields';

export interface OperationFigures {
  cost: number;
  depth: number;
  aliases: number;
  directives: number;
  rootMutationFields: number;
}

/** Every limit an operation of the document exceeds, as GraphQL errors (code GRAPHQL_VALIDATION_FAILED). */
export function measureAgainstLimits(context: ValidationContext, document: DocumentNode, limits: GraphqlLimits): GraphQLError[] {
  const measure = operationMeasurer(context);
  const refusals: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const figures = measure(definition);
    const exceeded = (limit: LimitName, found: number, message: string) => {
      if (found > limits[limit]) {
        refusals.push(
          new GraphQLError(message, {
            nodes: [definition],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, max: limits[limit], found: Number.isFinite(found) ? found : String(found) },
          }),
        );
      }
    };
    const name = definition.name ? `operation "${definition.name.value}"` : 'the operation';
    exceeded('maxCost', figures.cost, `query complexity ${figures.cost} exceeds the limit of ${limits.maxCost} (${name}: every field selected costs 1)`);
    exceeded('maxDepth', figures.depth, `query depth ${figures.depth} exceeds the limit of ${limits.maxDepth} (${name})`);
    exceeded('maxAliases', figures.aliases, `${figures.aliases} aliases exceed the limit of ${limits.maxAliases} (${name})`);
    exceeded('maxDirectives', figures.directives, `${figures.directives} directives exceed the limit of ${limits.maxDirectives} (${name})`);
    exceeded(
      'maxRootMutationFields',
      figures.rootMutationFields,
      `${figures.rootMutationFields} mutation fields in one request exceed the limit of ${limits.maxRootMutationFields} (${name}): send commands in separate requests`,
    );
  }
  return refusals;
}

/**
 * armor's visitors compute a figure and compare it with their own limit; given an infinite
 * limit they accept every operation and hand the figure to `onAccept`. We read it there and
 * judge it ourselves, so that one walk gives every figure and every refusal its own message.
 */
export function operationMeasurer(context: ValidationContext): (operation: OperationDefinitionNode) => OperationFigures {
  const common = { exposeLimits: true, propagateOnRejection: false, onReject: [] };
  const armor = (rule: (options: never) => (context: ValidationContext) => { OperationDefinition: Record<string, unknown> }, options: object) => {
    let figure = 0;
    const visitor = rule({ ...common, ...options, onAccept: [(_ctx: unknown, details: { n: number }) => (figure = details.n)] } as never)(context);
    const enter = visitor.OperationDefinition.enter as (this: unknown, node: OperationDefinitionNode) => void;
    return (operation: OperationDefinitionNode): number => {
      figure = 0;
      enter.call(visitor, operation);
      return figure;
    };
  };
  const depth = armor(maxDepthRule, { n: Infinity, flattenFragments: true, ignoreIntrospection: true });
  const aliases = armor(maxAliasesRule, { n: Infinity, allowList: [] });
  const directives = armor(maxDirectivesRule, { n: Infinity });
  const rootFields = new Map<string, number>();
  const fields = new Map<string, number>();
  return (operation) => ({
    cost: fieldCount(operation.selectionSet, context, fields),
    depth: depth(operation),
    aliases: aliases(operation),
    directives: directives(operation),
    rootMutationFields: operation.operation === 'mutation' ? rootFieldCount(operation.selectionSet, context, rootFields) : 0,
  });
}

/**
 * Cost: every field a selection set selects, at any depth, through inline fragments and
 * fragment spreads (each fragment counted once, then remembered; a cycle counts 0;
 * introspection's `__schema` counts 0, as in armor's rules). Hand-written because armor's
 * cost rule multiplies a field by any literal `first`/`last` argument (no option to turn
 * it off), which would refuse an ordinary 1,000-event page of eventHistory while leaving
 * `first: $n` uncounted; page sizes are bounded by the domain instead.
 */
function fieldCount(selectionSet: SelectionSetNode, context: ValidationContext, memo: Map<string, number>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__schema') continue;
      count += 1 + (selection.selectionSet ? fieldCount(selection.selectionSet, context, memo) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) count += fieldCount(selection.selectionSet, context, memo);
    else {
      const name = selection.name.value;
      if (!memo.has(name)) {
        memo.set(name, 0);
        const fragment = context.getFragment(name);
        memo.set(name, fragment ? fieldCount(fragment.selectionSet, context, memo) : 0);
      }
      count += memo.get(name)!;
    }
  }
  return count;
}

/** Root fields a selection set selects, through inline fragments and fragment spreads (each fragment counted once, then remembered; a cycle counts 0). */
function rootFieldCount(selectionSet: SelectionSetNode, context: ValidationContext, memo: Map<string, number>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += rootFieldCount(selection.selectionSet, context, memo);
    else {
      const name = selection.name.value;
      if (!memo.has(name)) {
        memo.set(name, 0);
        const fragment = context.getFragment(name);
        memo.set(name, fragment ? rootFieldCount(fragment.selectionSet, context, memo) : 0);
      }
      count += memo.get(name)!;
    }
  }
  return count;
}

/**
 * Parse and validate as Apollo does for HTTP, for the transports that parse themselves
 * (graphql-ws): token limit while parsing, then the gate, then the specified rules.
 * Returns the document or the errors to answer with (never throws for a bad document).
 */
export function parseAndValidate(schema: GraphQLSchema, source: string, limits: GraphqlLimits): { document: DocumentNode } | { errors: GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens });
  } catch (error) {
    const cause = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    return {
      errors: [new GraphQLError(cause.message, { positions: cause.positions, source: cause.source, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })],
    };
  }
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document, [requestLimitsRule(limits, { subscriptions: 'guard' }), ...specifiedRules]);
  } catch (error) {
    // graphql-js rules are not supposed to throw; if one does, the document is still the client's problem.
    errors = [new GraphQLError(error instanceof Error ? error.message : String(error))];
  }
  if (errors.length > 0) return { errors: errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) };
  return { document };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}
