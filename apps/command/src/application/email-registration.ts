import { Inject, Injectable } from '@nestjs/common';
import { accountDecider, emailReservationDecider, normalizeEmail, type AccountCommand } from '@ses/domain';
import { EVENT_STORE, type EventStore } from '@ses/event-store';
import { streams } from '@ses/events';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { AccountCommands } from './account-commands';
import { CommandHandling } from './command-handling';
import type { Outcome, RunContext } from './command-runner';

/**
 * Registers a user (or opens an account with its first user) so that an email is
 * registered once across the whole service. The event store has no multi-stream
 * transaction, so: decide first on the current account (an invalid command appends
 * nothing), reserve the email in its own stream (optimistic concurrency makes two
 * concurrent reservations of one email impossible), append to the account, and give
 * the reservation back if that append fails.
 *
 * A crash (kill -9) between the reservation and the account append leaves an orphan:
 * a reservation whose user never made it into the account. A retry with the same
 * commandId completes it (same userId); anyone else finds it released here, so the
 * email is not blocked for good.
 */
/** How old a reservation without its user must be before another process's registration may still be completing it. */
const ORPHAN_AFTER_MS = 60_000;

@Injectable()
export class EmailRegistration {
  /** Registrations of this process between reserving the email and appending to the account. */
  private readonly inFlight = new Map<string, number>();
  private readonly startedAt = Date.now();

  constructor(
    private readonly commands: CommandHandling,
    private readonly aggregates: AggregateStore,
    private readonly accounts: AccountCommands,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** `command` (OpenAccount or RegisterUser) registers `user`; `result` as AccountCommands.handle. */
  async register<R extends Record<string, unknown>>(
    accountId: string,
    user: { userId: string; email: string },
    command: AccountCommand,
    ctx: RunContext,
    result: () => R,
  ): Promise<Outcome<R>> {
    // An invalid command appends nothing, not even a reservation.
    accountDecider.decide(command, await this.accounts.load(accountId));
    const reservation = { email: normalizeEmail(user.email), accountId, userId: user.userId };
    const emailStream = streams.email(reservation.email);
    this.inFlight.set(reservation.email, (this.inFlight.get(reservation.email) ?? 0) + 1);
    try {
      await this.releaseOrphan(emailStream, reservation, ctx);
      await this.commands.handle(emailReservationDecider, emailStream, { type: 'ReserveEmail', ...reservation }, ctx);
      try {
        return await this.accounts.handle(accountId, command, ctx, result);
      } catch (error) {
        await this.commands.handle(
          emailReservationDecider,
          emailStream,
          { type: 'ReleaseEmail', ...reservation },
          { ...ctx, seed: `${ctx.seed}\u0000release` },
        );
        throw error;
      }
    } finally {
      const left = (this.inFlight.get(reservation.email) ?? 1) - 1;
      if (left > 0) this.inFlight.set(reservation.email, left);
      else this.inFlight.delete(reservation.email);
    }
  }

  /**
   * Releases another registration's reservation of this email when it is an orphan: its
   * user is not in its account, no registration of this process holds it, and it was
   * made before this process started (a crashed predecessor) or long enough ago that no
   * other process can still be about to append the user.
   */
  private async releaseOrphan(emailStream: string, mine: { email: string; accountId: string; userId: string }, ctx: RunContext): Promise<void> {
    const held = (await this.aggregates.load(emailStream, emailReservationDecider)).state.reservedBy;
    if (!held || (held.accountId === mine.accountId && held.userId === mine.userId)) return;
    if ((this.inFlight.get(mine.email) ?? 0) > 1) return; // only we are in flight: count 1 is this registration
    const account = await this.accounts.load(held.accountId);
    if (account.users[held.userId]) return;
    const reserved = (await this.store.readStream(emailStream)).filter((e) => e.type === 'EmailReserved').at(-1);
    const at = reserved?.recordedAt.getTime() ?? Number.POSITIVE_INFINITY;
    if (!(at < this.startedAt || Date.now() - at > ORPHAN_AFTER_MS)) return;
    await this.commands.handle(
      emailReservationDecider,
      emailStream,
      { type: 'ReleaseEmail', email: mine.email, ...held },
      { ...ctx, seed: `${ctx.seed}\u0000release-orphan` },
    );
  }
}
