import { Injectable } from '@nestjs/common';
import { emailReservationDecider, initialAccountState, evolveAccount, type Actor, type AccountState } from '@ses/domain';
import { streams } from '@ses/events';
import type { Principal } from '@ses/auth';
import { AggregateStore, type Aggregate } from '../infrastructure/aggregate-store';

export const accountAggregate: Aggregate<AccountState> = { initialState: initialAccountState, evolve: evolveAccount };
export const emailAggregate: Aggregate<ReturnType<typeof emailReservationDecider.initialState>> = emailReservationDecider;

/**
 * Turns a verified principal into the domain's Actor: the operator by scope, else
 * the user registered with the token's email (found through the email-reservation
 * stream, then confirmed in the account). Roles stay in the account's state.
 */
@Injectable()
export class ActorResolver {
  constructor(private readonly aggregates: AggregateStore) {}

  async resolve(principal: Principal): Promise<Actor> {
    if (principal.operator) return { kind: 'operator', sub: principal.sub };
    if (!principal.email) return { kind: 'unregistered', sub: principal.sub, email: '' };
    const reservation = (await this.aggregates.load(streams.email(principal.email), emailAggregate)).state.reservedBy;
    if (reservation) {
      const account = (await this.aggregates.load(streams.account(reservation.accountId), accountAggregate)).state;
      const user = account.users[reservation.userId];
      if (user && user.emailNormalized === principal.email) return { kind: 'user', sub: principal.sub, userId: user.userId, accountId: reservation.accountId };
    }
    return { kind: 'unregistered', sub: principal.sub, email: principal.email };
  }
}
