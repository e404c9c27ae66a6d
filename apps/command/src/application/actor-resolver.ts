import { Injectable } from '@nestjs/common';
import { accountDecider, emailReservationDecider, type AccountState, type Actor } from '@ses/domain';
import { streams } from '@ses/events';
import type { Principal } from '@ses/auth';
import { AggregateStore } from '../infrastructure/aggregate-store';

/**
 * Turns a verified principal into the domain's Actor: the operator by scope, else
 * the user registered with the token's email (found through the email-reservation
 * stream, then confirmed in the account). Roles stay in the account's state.
 */
@Injectable()
export class ActorResolver {
  constructor(private readonly aggregates: AggregateStore) {}

  /**
   * The actor, with the user's account as loaded to confirm them (a command about that account
   * need not load it again), and the ticket (AggregateStore.ticket) taken before anything was
   * read: the command's other reads use it too (CommandContext.freshSince). Operators get none
   * (their commands are rare; their reads go to the log).
   */
  async resolveWithAccount(principal: Principal): Promise<{ actor: Actor; account?: AccountState; freshSince?: number }> {
    if (principal.operator) return { actor: { kind: 'operator', sub: principal.sub } };
    if (!principal.email) return { actor: { kind: 'unregistered', sub: principal.sub, email: '' } };
    const freshSince = this.aggregates.ticket();
    const reservation = (await this.aggregates.load(streams.email(principal.email), emailReservationDecider, freshSince)).state.reservedBy;
    if (reservation) {
      const account = (await this.aggregates.load(streams.account(reservation.accountId), accountDecider, freshSince)).state;
      const user = account.users[reservation.userId];
      if (user && user.emailNormalized === principal.email) {
        return { actor: { kind: 'user', sub: principal.sub, userId: user.userId, accountId: reservation.accountId }, account, freshSince };
      }
    }
    return { actor: { kind: 'unregistered', sub: principal.sub, email: principal.email }, freshSince };
  }
}
