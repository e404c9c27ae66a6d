import { createHash, randomUUID } from 'node:crypto';

/**
 * A UUID-shaped id derived from a seed: a retried command (same principal and
 * commandId) derives the same ids and event ids, so its appends are idempotent.
 */
export function deterministicId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Shape it as a version-5-style UUID (variant bits set) so it reads like any other id.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Seed for one command: idempotency key when the client gave a commandId, else random. */
export function commandSeed(sub: string, commandId: string | undefined | null): { commandId: string; seed: string; clientSupplied: boolean } {
  const id = commandId && commandId.length > 0 ? commandId : randomUUID();
  return { commandId: id, seed: `${sub}\u0000${id}`, clientSupplied: Boolean(commandId) };
}
