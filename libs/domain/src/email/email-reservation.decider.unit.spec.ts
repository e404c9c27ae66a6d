import type { DomainEvent } from '@ses/events';
import { givenFor } from '../shared/testing/given-when-then';
import { type EmailReservationCommand, emailReservationDecider, evolveEmailReservation, initialEmailReservationState } from './email-reservation.decider';

const given = givenFor(emailReservationDecider);
const reserve = (accountId = 'acc-1', userId = 'u-1', email = 'Ann@Acme.test'): EmailReservationCommand => ({ type: 'ReserveEmail', email, accountId, userId });
const release = (accountId = 'acc-1', userId = 'u-1', email = 'ann@acme.test'): EmailReservationCommand => ({ type: 'ReleaseEmail', email, accountId, userId });
const reserved = (accountId = 'acc-1', userId = 'u-1'): DomainEvent => ({ type: 'EmailReserved', data: { email: 'ann@acme.test', accountId, userId } });
const released = (accountId = 'acc-1', userId = 'u-1'): DomainEvent => ({ type: 'EmailReleased', data: { email: 'ann@acme.test', accountId, userId } });

describe('ReserveEmail', () => {
  it('reserves a free email, normalized', () => {
    given([]).when(reserve()).then([reserved()]);
  });

  it('refuses an email reserved by another registration', () => {
    given([reserved()]).when(reserve('acc-2', 'u-2')).thenThrows('EMAIL_ALREADY_REGISTERED');
    given([reserved()]).when(reserve('acc-1', 'u-2')).thenThrows('EMAIL_ALREADY_REGISTERED');
  });

  it('is idempotent for the same registration (a retried command)', () => {
    given([reserved()]).when(reserve()).then([]);
  });

  it('reserves again once released', () => {
    given([reserved(), released()])
      .when(reserve('acc-2', 'u-2'))
      .then([reserved('acc-2', 'u-2')]);
  });
});

describe('a reservation for a registration request', () => {
  const forRequest = (type: 'ReserveEmail' | 'ReleaseEmail'): EmailReservationCommand => ({
    type,
    email: 'ann@acme.test',
    accountId: 'acc-1',
    userId: 'u-1',
    requestId: 'r-1',
  });
  const reservedForRequest: DomainEvent = { type: 'EmailReserved', data: { email: 'ann@acme.test', accountId: 'acc-1', userId: 'u-1', requestId: 'r-1' } };

  it('names the request, and the release names it too', () => {
    given([]).when(forRequest('ReserveEmail')).then([reservedForRequest]);
    given([reservedForRequest])
      .when(release())
      .then([{ type: 'EmailReleased', data: { email: 'ann@acme.test', accountId: 'acc-1', userId: 'u-1', requestId: 'r-1' } }]);
    expect(given([reservedForRequest]).state.reservedBy).toEqual({ accountId: 'acc-1', userId: 'u-1', requestId: 'r-1' });
  });

  it('is kept by the approval (same user) and refused to anyone else', () => {
    given([reservedForRequest]).when(reserve()).then([]);
    given([reservedForRequest]).when(reserve('acc-2', 'u-2')).thenThrows('EMAIL_ALREADY_REGISTERED');
  });
});

describe('ReleaseEmail', () => {
  it("releases the holder's own reservation", () => {
    given([reserved()]).when(release()).then([released()]);
  });

  it("never releases another registration's reservation", () => {
    given([reserved()]).when(release('acc-2', 'u-2')).then([]);
  });

  it('does nothing when nothing is reserved', () => {
    given([]).when(release()).then([]);
    given([reserved(), released()]).when(release()).then([]);
  });
});

describe('evolveEmailReservation', () => {
  it('tracks the holder', () => {
    expect([reserved()].reduce(evolveEmailReservation, initialEmailReservationState())).toEqual({
      email: 'ann@acme.test',
      reservedBy: { accountId: 'acc-1', userId: 'u-1' },
    });
    expect([reserved(), released()].reduce(evolveEmailReservation, initialEmailReservationState())).toEqual({ email: 'ann@acme.test', reservedBy: null });
  });

  it('ignores a release by someone else and unrelated events', () => {
    const state = [reserved()].reduce(evolveEmailReservation, initialEmailReservationState());
    expect(evolveEmailReservation(state, released('acc-2', 'u-2'))).toBe(state);
    expect(evolveEmailReservation(state, { type: 'UserDeactivated', data: { accountId: 'acc-1', userId: 'u-1' } })).toBe(state);
  });
});
