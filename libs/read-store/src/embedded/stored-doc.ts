import type { Doc } from '../read-store.port';
import { POSITION_FIELD } from '../position-key';
import { deepCopy } from './deep-copy';

/** A document as the embedded store holds it: with its internal position key. */
export type StoredDoc = Doc & { [POSITION_FIELD]: string };

/** The document without the internal position, sharing its values: for callers that only read. */
export function toPublicView<T extends Doc>(doc: StoredDoc): T {
  const { [POSITION_FIELD]: _hidden, ...visible } = doc;
  return visible as T;
}

/** A deep copy without the internal position, safe to hand to callers. */
export function toPublicCopy<T extends Doc>(doc: StoredDoc): T {
  const { [POSITION_FIELD]: _hidden, ...visible } = doc;
  return deepCopy(visible) as T;
}
