import { createHash } from 'node:crypto';

// Stream naming. An account stream holds the organisation's directory (account,
// entitlements, users, roles, groups, alert rules): the last-administrator rule and
// usage decisions need it as one consistency boundary. Sessions, check-outs and
// alerts of one product live in that account's seat-pool stream, so the seat
// invariants are guarded by one optimistic-concurrency check.
export const streams = {
  account: (accountId: string) => `account-${accountId}`,
  seatPool: (accountId: string, productId: string) => `seatpool-${accountId}-${sha256(productId).slice(0, 32)}`,
  email: (email: string) => `email-${sha256(email.trim().toLowerCase()).slice(0, 40)}`,
  /** Claims an email domain for one account (onboarding): shared by accounts over time, like an email's stream. */
  domain: (domain: string) => `domain-${sha256(domain.trim().toLowerCase()).slice(0, 40)}`,
};

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Every stream the service writes starts with one of these. On EventStoreDB, subscriptions
 * ask the server for these streams only (another tool may write to the same cluster) and
 * reads skip other streams. A new kind of stream needs its prefix here (streams.unit.spec.ts
 * checks every function of `streams`).
 */
export const STREAM_PREFIXES: readonly string[] = ['account-', 'seatpool-', 'email-', 'domain-'];
