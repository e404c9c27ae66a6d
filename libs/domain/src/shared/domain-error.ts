/** Error codes of the contract (../shared/contract/README.md, "Errors"). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'EMAIL_ALREADY_REGISTERED'
  | 'LAST_ADMINISTRATOR'
  | 'NOT_ENTITLED'
  | 'CHECKOUT_NOT_ALLOWED'
  | 'CHECKOUT_TOO_LONG'
  | 'ALREADY_CHECKED_OUT'
  | 'NO_SEATS_AVAILABLE'
  | 'CHECKOUT_NOT_ACTIVE'
  | 'SESSION_NOT_ACTIVE'
  | 'USER_DEACTIVATED'
  | 'CONCURRENCY_CONFLICT'
  | 'NOT_CAUGHT_UP'
  // extension "onboarding"
  | 'DOMAIN_ALREADY_CLAIMED'
  | 'REGISTRATION_PENDING'
  | 'REGISTRATION_NOT_PENDING';

/** A rule said no. Deciders throw it; the GraphQL layer maps `code` to `extensions.code`. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For BAD_USER_INPUT: the input fields that failed validation. */
    readonly fields: readonly string[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const forbidden = (message = 'not allowed') => new DomainError('FORBIDDEN', message);
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
