/**
 * API errors in words a person understands (contract README, "Errors"): the portal never
 * shows raw JSON. Every contract code has a message; BAD_USER_INPUT adds the server's own
 * sentence (it names the field and the rule) and the fields.
 */
export const ERROR_MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'You are not signed in, or your sign-in has expired. Sign in again.',
  FORBIDDEN: 'You do not have permission to do this, or to see this account.',
  BAD_USER_INPUT: 'Some of the values entered are not valid.',
  NOT_FOUND: 'That could not be found. It may have been removed, or the identifier is wrong.',
  EMAIL_ALREADY_REGISTERED: 'This email address is already registered. Each email can be registered only once across the service.',
  LAST_ADMINISTRATOR: 'This would leave the account without an active account administrator. Make someone else an administrator first.',
  NOT_ENTITLED: 'The user is not entitled to this product (in their country), or their groups do not allow it.',
  CHECKOUT_NOT_ALLOWED: 'The entitlement for this product does not allow check-outs.',
  CHECKOUT_TOO_LONG: 'The check-out is longer than the entitlement allows.',
  ALREADY_CHECKED_OUT: 'The user already has an active check-out of this product.',
  NO_SEATS_AVAILABLE: 'No seats are free for another check-out of this product.',
  CHECKOUT_NOT_ACTIVE: 'This check-out is no longer active: it was checked in or has expired.',
  SESSION_NOT_ACTIVE: 'This session has already ended or timed out.',
  USER_DEACTIVATED: 'This user account is deactivated.',
  CONCURRENCY_CONFLICT: 'Someone else changed the same thing at the same moment. Please try again.',
  NOT_CAUGHT_UP: 'The reports are still catching up with the latest changes. Please try again in a moment.',
  // This service's additions to the contract's codes (README: rate limits, resilience).
  RATE_LIMITED: 'Too many requests were sent in a short time. Please wait a few seconds and try again.',
  SERVICE_UNAVAILABLE: 'The service cannot reach its data store just now. Nothing needs to be done here: please try again in a few seconds.',
  INTERNAL_SERVER_ERROR: 'The service had an unexpected problem. Please try again; if it persists, contact your service operator.',
  GRAPHQL_VALIDATION_FAILED:
    'This version of the portal asked for something the service does not offer. Reload the page; if it persists, the portal and the service do not match.',
  GRAPHQL_PARSE_FAILED: 'This version of the portal sent a request the service could not read. Reload the page.',
  // Contract extensions (onboarding); mapped now so their pages only need to use them.
  DOMAIN_ALREADY_CLAIMED: 'Another account already claims this email domain.',
  REGISTRATION_PENDING: 'A registration request for this email is already waiting for approval.',
  REGISTRATION_NOT_PENDING: 'This registration request has already been decided.',
};

const FALLBACK = 'Something went wrong. Please try again.';
const NETWORK = 'The service could not be reached. Check your connection; if the service is running, it may not accept this page’s address.';

export interface ApiErrorLike {
  graphQLErrors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  networkError?: Error | null;
  response?: { status?: number } | null;
}

export interface DescribedError {
  code: string;
  message: string;
}

/** One message per error (the first GraphQL error decides; a network failure has its own). `messages` overrides codes where a page knows better words. */
export function describeError(error: unknown, messages: Record<string, string> = {}): DescribedError {
  const e = (error ?? {}) as ApiErrorLike;
  const first = e.graphQLErrors?.[0];
  if (first) {
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN';
    const fields = Array.isArray(first.extensions?.fields) ? (first.extensions.fields as unknown[]).filter((f) => typeof f === 'string') : [];
    return { code, message: messages[code] ?? describeCode(code, first.message, fields) };
  }
  if (e.networkError) {
    const status = e.response?.status;
    if (status === 401) return { code: 'UNAUTHENTICATED', message: ERROR_MESSAGES.UNAUTHENTICATED };
    return { code: 'NETWORK', message: NETWORK };
  }
  if (error instanceof Error && error.name === 'AbortError') return { code: 'ABORTED', message: 'The request was cancelled.' };
  return { code: 'UNKNOWN', message: FALLBACK };
}

/**
 * One contract code in words (also a failed row of registerUsers): BAD_USER_INPUT adds the
 * server's own sentence (it names the field and the rule) and the fields; `detailed` codes too.
 */
export function describeCode(code: string, serverMessage = '', fields: readonly string[] = [], detailed: readonly string[] = []): string {
  if (code === 'BAD_USER_INPUT' || detailed.includes(code)) {
    const named = fields.length ? ` (check: ${fields.join(', ')})` : '';
    return `${ERROR_MESSAGES[code] ?? FALLBACK} ${sentence(serverMessage)}${named}`.trim();
  }
  return ERROR_MESSAGES[code] ?? FALLBACK;
}

/** The server's validation sentence, made to read as one ("from must be before to" → "From must be before to."). */
function sentence(message: string): string {
  const text = message.trim().replace(/\s+/g, ' ');
  if (!text || text.startsWith('{') || text.length > 300) return '';
  return `${text[0].toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}
