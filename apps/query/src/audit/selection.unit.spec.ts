import { parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { selectsField } from './selection';

function infoOf(query: string) {
  const doc = parse(query);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsField', () => {
  it('finds a nested field, through inline and named fragments', () => {
    expect(selectsField(infoOf('{ accountAsOf(accountId: "a", at: "x") { account { entitlements { seatsInUse } } } }'), 'seatsInUse')).toBe(true);
    expect(selectsField(infoOf('{ accountAsOf(accountId: "a", at: "x") { account { ... on Account { entitlements { seatsInUse } } } } }'), 'seatsInUse')).toBe(
      true,
    );
    expect(
      selectsField(infoOf('{ accountAsOf(accountId: "a", at: "x") { account { ...E } } } fragment E on Account { entitlements { seatsInUse } }'), 'seatsInUse'),
    ).toBe(true);
  });

  it('is false when the field is not selected', () => {
    expect(selectsField(infoOf('{ accountAsOf(accountId: "a", at: "x") { at account { entitlements { status } } } }'), 'seatsInUse')).toBe(false);
  });
});
