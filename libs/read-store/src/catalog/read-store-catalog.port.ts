import type { ReadStore } from '../read-store.port';

/**
 * Generations of the read models. Queries are served from the ACTIVE generation; a
 * rebuild projects the whole log into a NEW generation and then activates it, and a
 * running query app that sees the switch moves over without downtime. Each adapter
 * keeps generations its own way (files / databases); callers never ask which.
 */
export interface ReadStoreCatalog {
  /** The generation queries are served from ('initial' until a rebuild activated another). */
  active(): Promise<string>;
  open(generation: string): Promise<ReadStore>;
  activate(generation: string): Promise<void>;
  /** Deletes a generation that is no longer active. */
  drop(generation: string): Promise<void>;
  close(): Promise<void>;
}

export const INITIAL_GENERATION = 'initial';

/** A fresh, sortable generation name. */
export function newGenerationName(now: Date = new Date()): string {
  return `g${now.getTime().toString(36)}${Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`;
}

export function assertGenerationName(generation: string): void {
  if (!/^[a-z0-9]{1,40}$/.test(generation)) throw new Error(`invalid read-model generation name "${generation}"`);
}
