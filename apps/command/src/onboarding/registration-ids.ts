import { deterministicId } from '../infrastructure/deterministic-id';

/**
 * The id of the user a registration request registers once approved: derived from the
 * request, so the email reserved when the person asked (for this user) is the one the
 * approval registers, whoever approves and however often it is tried.
 */
export const userIdOfRequest = (requestId: string): string => deterministicId('registration-request', requestId, 'user');
