import { DeadlineExceededError, NotLeaderError, UnavailableError } from '@eventstore/db-client';
import { StoreUnreachableError } from './resilience/fault-injection';

/**
 * The errors that mean the event store could not be reached just now, whichever adapter
 * raised them: EventStoreDB's client gives gRPC UNAVAILABLE (no server), DEADLINE_EXCEEDED
 * (no answer in time) and NOT_LEADER (a leader change under way); the test adapter
 * StoreUnreachableError. A retry later may succeed; an append cut off this way may or may
 * not have been stored (a retry with the same idempotency key takes effect at most once).
 */
export const EVENT_STORE_UNAVAILABLE_ERRORS = [UnavailableError, DeadlineExceededError, NotLeaderError, StoreUnreachableError] as const;

export function isEventStoreUnavailable(error: unknown): boolean {
  return EVENT_STORE_UNAVAILABLE_ERRORS.some((type) => error instanceof type);
}
