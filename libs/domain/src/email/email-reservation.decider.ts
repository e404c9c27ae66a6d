import type { DomainEvent } from '@ses/events';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { normalizeEmail } from '../shared/validation';

/**
 * One stream per normalized email keeps emails unique across the service.
 * The shell reserves before appending UserRegistered to the account, and
 * releases when that append fails. Emails are stored normalized. A registration
 * request (onboarding) reserves the email for the user its approval will register,
 * naming the request (`requestId`), until it is decided.
 */
export interface EmailHolder {
  accountId: string;
  userId: string;
  /** The registration request the email is held for, if any. */
  requestId?: string;
}

export interface EmailReservationState {
  email: string | null;
  reservedBy: EmailHolder | null;
}

export type EmailReservationCommand = ({ type: 'ReserveEmail' } | { type: 'ReleaseEmail' }) & { email: string } & EmailHolder;

export const initialEmailReservationState = (): EmailReservationState => ({ email: null, reservedBy: null });

const isHeldBy = (state: EmailReservationState, accountId: string, userId: string): boolean =>
  state.reservedBy?.accountId === accountId && state.reservedBy.userId === userId;

export function decideEmailReservation(command: EmailReservationCommand, state: EmailReservationState): DomainEvent[] {
  const { accountId, userId } = command;
  const email = normalizeEmail(command.email);
  const holder = { email, accountId, userId, ...(command.requestId ? { requestId: command.requestId } : {}) };
  switch (command.type) {
    case 'ReserveEmail':
      // The same registration retried (same fresh userId) keeps its reservation.
      if (isHeldBy(state, accountId, userId)) return [];
      if (state.reservedBy) throw new DomainError('EMAIL_ALREADY_REGISTERED', 'this email is already registered');
      return [{ type: 'EmailReserved', data: holder }];
    case 'ReleaseEmail':
      // Never release someone else's reservation.
      if (!isHeldBy(state, accountId, userId)) return [];
      return [{ type: 'EmailReleased', data: { ...holder, ...(state.reservedBy?.requestId ? { requestId: state.reservedBy.requestId } : {}) } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown email command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveEmailReservation(state: EmailReservationState, event: DomainEvent): EmailReservationState {
  switch (event.type) {
    case 'EmailReserved': {
      const { email, accountId, userId, requestId } = event.data;
      return { email, reservedBy: { accountId, userId, ...(requestId ? { requestId } : {}) } };
    }
    case 'EmailReleased':
      return isHeldBy(state, event.data.accountId, event.data.userId) ? { ...state, reservedBy: null } : state;
    default:
      return state;
  }
}

export const emailReservationDecider: Decider<EmailReservationCommand, DomainEvent, EmailReservationState> = {
  decide: decideEmailReservation,
  evolve: evolveEmailReservation,
  initialState: initialEmailReservationState,
};
