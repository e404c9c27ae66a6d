import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { ReadStoreUnreachableError } from './resilience/fault-injecting-read-store';

/**
 * The errors that mean a MongoDB database (the read models, or the command index beside
 * them) could not be reached just now: the driver's network errors (a connection refused,
 * reset or timed out) and its failure to select a server; the test adapter's
 * ReadStoreUnreachableError. A retry later may succeed.
 */
export const READ_STORE_UNAVAILABLE_ERRORS = [MongoNetworkError, MongoServerSelectionError, ReadStoreUnreachableError] as const;

export function isReadStoreUnavailable(error: unknown): boolean {
  return READ_STORE_UNAVAILABLE_ERRORS.some((type) => error instanceof type);
}
