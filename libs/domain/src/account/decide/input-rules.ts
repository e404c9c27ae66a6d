import { LIMITS, Validator, isBoundedText } from '../../shared/validation';

/** Nullable optional inputs: GraphQL passes null or leaves them out. */
export const isGiven = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

export function checkProductIds(v: Validator, field: string, productIds: readonly string[]): void {
  v.check(productIds.length <= LIMITS.listSize, field, `at most ${LIMITS.listSize} entries`);
  v.check(
    productIds.every((id) => typeof id === 'string' && isBoundedText(id, LIMITS.productId)),
    field,
    'each must be a non-empty id',
  );
}

export const dedupe = (ids: readonly string[]): string[] => [...new Set(ids)];

/** A reused, shell-generated id is a bug in the shell, not a user error. */
export function assertNewId(taken: boolean, what: string, id: string): void {
  if (taken) throw new Error(`${what} ${id} already exists: ids must be fresh`);
}
