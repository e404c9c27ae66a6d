import { GraphQLError, GraphQLScalarType, Kind, type ObjectValueNode, type ValueNode } from 'graphql';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function parseJsonLiteral(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.ENUM:
      return ast.value;
    case Kind.LIST:
      return ast.values.map((value) => parseJsonLiteral(value, variables));
    case Kind.OBJECT:
      return parseJsonObject(ast, variables);
    case Kind.VARIABLE:
      return variables ? variables[ast.name.value] : undefined;
    default:
      throw new GraphQLError(`JSON cannot parse literal of kind ${(ast as ValueNode).kind}`, { nodes: ast });
  }
}

function parseJsonObject(ast: ObjectValueNode, variables: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of ast.fields) result[field.name.value] = parseJsonLiteral(field.value, variables);
  return result;
}

/** `JSON`: any JSON value, passed through unchanged (event data and metadata). */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Arbitrary JSON value.',
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => value,
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) => parseJsonLiteral(ast, variables),
});
