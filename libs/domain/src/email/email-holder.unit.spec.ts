import { evolveAccount } from '../account/account.evolve';
import { initialAccountState } from '../account/account.state';
import { approved, domainsSet, registered, rejected, requested, standardAccount } from '../account/testing/fixtures';
import type { DomainEvent } from '@ses/events';
import { emailHolderStanding, emailTakenError } from './email-holder';

const account = (...events: DomainEvent[]) => [...standardAccount(), domainsSet(['acme.test']), ...events].reduce(evolveAccount, initialAccountState());
const forRequest = { accountId: 'acc-1', userId: 'u-pat', requestId: 'r-1' };
const forUser = { accountId: 'acc-1', userId: 'u-pat' };

describe('emailHolderStanding: what the holder account says about a reservation', () => {
  it('registered: the user is in the account (also once a request was approved)', () => {
    expect(emailHolderStanding(forUser, account(registered('u-pat')))).toBe('registered');
    expect(emailHolderStanding(forRequest, account(requested(), approved(), registered('u-pat', 'pat@acme.test')))).toBe('registered');
  });

  it('pending-request while the request waits; closed-request once rejected', () => {
    expect(emailHolderStanding(forRequest, account(requested()))).toBe('pending-request');
    expect(emailHolderStanding(forRequest, account(requested(), rejected()))).toBe('closed-request');
  });

  it('unconfirmed when the account knows neither the user nor the request (in flight, or crashed before the account append)', () => {
    expect(emailHolderStanding(forUser, account())).toBe('unconfirmed');
    expect(emailHolderStanding(forRequest, account())).toBe('unconfirmed');
  });
});

describe('emailTakenError', () => {
  it('is REGISTRATION_PENDING while a request holds the email, else EMAIL_ALREADY_REGISTERED', () => {
    expect(emailTakenError(forRequest, 'pending-request').code).toBe('REGISTRATION_PENDING');
    expect(emailTakenError(forRequest, 'unconfirmed').code).toBe('REGISTRATION_PENDING');
    expect(emailTakenError(forUser, 'unconfirmed').code).toBe('EMAIL_ALREADY_REGISTERED');
    expect(emailTakenError(forUser, 'registered').code).toBe('EMAIL_ALREADY_REGISTERED');
    expect(emailTakenError(forRequest, 'registered').code).toBe('EMAIL_ALREADY_REGISTERED');
  });
});
