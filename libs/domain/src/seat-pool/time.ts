const DAY_MS = 24 * 60 * 60 * 1000;

export const toMs = (instant: string): number => Date.parse(instant);
export const toInstant = (ms: number): string => new Date(ms).toISOString();
export const addSeconds = (instant: string, seconds: number): string => toInstant(toMs(instant) + seconds * 1000);
export const addDays = (instant: string, days: number): string => toInstant(toMs(instant) + days * DAY_MS);
/** a < b as instants (strings may differ in precision, so compare numerically). */
export const isBefore = (a: string, b: string): boolean => toMs(a) < toMs(b);
export const earliest = (a: string, b: string): string => (isBefore(b, a) ? b : a);
