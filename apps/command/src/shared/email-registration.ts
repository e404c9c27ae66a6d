import { Injectable } from '@nestjs/common';
import { decideAccount, decideEmailReservation, normalizeEmail, type AccountCommand, type AccountState } from '@ses/domain';
import { streams } from '@ses/events';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { AccountCommands } from './account-commands';
import { emailAggregate } from './actor-resolver';
import type { RunContext, RunOutcome } from './command-runner';

/**
 * Registers a user (or opens an account with its first user) so that an email is
 * registered once across the whole service. The event store has no multi-stream
 * transaction, so: decide first on the current account (an invalid command appends
 * nothing), reserve the email in its own stream (optimistic concurrency makes two
 * concurrent reservations of one email impossible), append to the account, and give
 * the reservation back if that append fails.
 */
@Injectable()
export class EmailRegistration {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly accounts: AccountCommands,
  ) {}

  async register<R extends Record<string, unknown>>(
    accountId: string,
    user: { userId: string; email: string },
    command: AccountCommand,
    ctx: RunContext,
    result: R,
  ): Promise<RunOutcome<R>> {
    const current: AccountState = await this.accounts.load(accountId);
    decideAccount(command, current);
    const reservation = { email: normalizeEmail(user.email), accountId, userId: user.userId };
    const emailStream = streams.email(reservation.email);
    await this.aggregates.execute(emailStream, emailAggregate, (state) => decideEmailReservation({ type: 'ReserveEmail', ...reservation }, state), ctx);
    try {
      const appended = await this.accounts.append(accountId, (state) => decideAccount(command, state), ctx, result);
      return { result, position: appended.position };
    } catch (error) {
      await this.aggregates.execute(emailStream, emailAggregate, (state) => decideEmailReservation({ type: 'ReleaseEmail', ...reservation }, state), {
        ...ctx,
        seed: `${ctx.seed}\u0000release`,
      });
      throw error;
    }
  }
}
