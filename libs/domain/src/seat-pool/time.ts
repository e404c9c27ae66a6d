const DAY_MS = 24 * 60 * 60 * 1000;

export const toMs = (instant: string): number => Date.parse(instant);
export const toInstant = (ms: number): string => new Date(ms).toISOString();
export const addSeconds = (instant: string, seconds: number): string => toInstant(toMs(instant) + seconds * 1000);
export const addDays = (instant: string, days: number): string => toInstant(toMs(instant) + days * DAY_MS);
/** toISOString's form, YYYY-MM-DDTHH:mm:ss.sssZ: two such strings compare as their instants do. */
const isCanonical = (instant: string): boolean => instant.length === 24 && instant.charCodeAt(23) === 90 /* Z */ && instant.charCodeAt(19) === 46; /* . */

/**
 * a < b as instants (strings may differ in precision, so compare numerically). Two strings in
 * toISOString's form compare as strings: seat counts compare every check-out's expiresAt with
 * now, and parsing each was most of a check-out decision in a large pool (BENCHMARKS.md, issue 14).
 */
export const isBefore = (a: string, b: string): boolean => (isCanonical(a) && isCanonical(b) ? a < b : toMs(a) < toMs(b));
export const earliest = (a: string, b: string): string => (isBefore(b, a) ? b : a);
