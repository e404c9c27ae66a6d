import type { Doc } from '../read-store.port';
import { POSITION_FIELD } from '../position-key';

/** A document as the embedded store holds it: with its internal position key. */
export type StoredDoc = Doc & { [POSITION_FIELD]: string };

/** A deep copy without the internal position, safe to hand to callers. */
export function toPublicCopy<T extends Doc>(doc: StoredDoc): T {
  const { [POSITION_FIELD]: _hidden, ...visible } = doc;
  return structuredClone(visible) as T;
}
