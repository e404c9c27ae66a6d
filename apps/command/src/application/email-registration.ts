import { Inject, Injectable } from '@nestjs/common';
import {
  accountDecider,
  DomainError,
  emailHolderStanding,
  emailReservationDecider,
  emailTakenError,
  normalizeEmail,
  type AccountCommand,
  type EmailHolder,
} from '@ses/domain';
import { EVENT_STORE, type EventStore } from '@ses/event-store';
import { streams, type DomainEvent } from '@ses/events';
import { AggregateStore, type CommandContext } from '../infrastructure/aggregate-store';
import { AccountCommands } from './account-commands';
import { CommandHandling } from './command-handling';
import type { Outcome, RunContext } from './command-runner';

/** An email held for a user (and maybe for the registration request that will register them). */
export type Reservation = EmailHolder & { email: string };

/**
 * Registers a user (or opens an account with its first user, or records a registration
 * request) so that an email is registered once across the whole service. The event
 * store has no multi-stream transaction, so: decide first on the current account (an
 * invalid command appends nothing), reserve the email in its own stream (optimistic
 * concurrency makes two concurrent reservations of one email impossible), append to the
 * account, and give the reservation back if that append fails.
 *
 * A crash (kill -9) between the reservation and the account append leaves an orphan:
 * a reservation that its account knows nothing of. A retry with the same commandId
 * completes it (same userId); anyone else finds it released here, so the email is not
 * blocked for good. What the holder's account says decides (emailHolderStanding): a
 * registered user or a pending request keeps the email; a rejected request's reservation
 * (its release after the rejection did not happen) is released at once; one the account
 * knows nothing of only once no registration can still be completing it.
 */

/** How old a reservation without its user must be before another process's registration may still be completing it. */
const ORPHAN_AFTER_MS = 60_000;

/** Reservations of one bulk registration asked for side by side (reserveAll). */
const RESERVATIONS_AT_ONCE = 500;

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

  /** `command` (OpenAccount, RegisterUser, RequestRegistration) registers `holder`; `result` as AccountCommands.handle. */
  async register<R extends Record<string, unknown>>(
    accountId: string,
    holder: Omit<Reservation, 'accountId'>,
    command: AccountCommand,
    ctx: RunContext,
    result: (events: readonly DomainEvent[]) => R,
  ): Promise<Outcome<R>> {
    // An invalid command appends nothing, not even a reservation.
    accountDecider.decide(command, await this.accounts.load(accountId));
    const reservation: Reservation = {
      email: normalizeEmail(holder.email),
      accountId,
      userId: holder.userId,
      ...(holder.requestId ? { requestId: holder.requestId } : {}),
    };
    return this.whileInFlight([reservation.email], async () => {
      await this.reserve(reservation, ctx);
      try {
        return await this.accounts.handle(accountId, command, ctx, result);
      } catch (error) {
        await this.release(reservation, ctx);
        throw error;
      }
    });
  }

  /**
   * Reserves every email (normalized, each once) for its holder, then runs `work` with the
   * reservations that succeeded; the others are answered by the error that refused them
   * (EMAIL_ALREADY_REGISTERED, or REGISTRATION_PENDING while a request holds the email).
   * `work` says which reservations it used; the rest are given back, and all of them when
   * `work` fails. One command's reservations share its context: their event ids differ by
   * stream.
   */
  async reserveAll<T>(
    reservations: readonly Reservation[],
    ctx: CommandContext,
    work: (reserved: Reservation[], refused: Map<Reservation, DomainError>) => Promise<{ value: T; used: (r: Reservation) => boolean }>,
  ): Promise<T> {
    const normalized = reservations.map((r) => ({ original: r, email: normalizeEmail(r.email) }));
    return this.whileInFlight(
      normalized.map((r) => r.email),
      async () => {
        const reserved: Reservation[] = [];
        const refused = new Map<Reservation, DomainError>();
        // Side by side, a slice at a time: each email is its own stream, and the event store may
        // commit appends asked for together at once (SQLite: one transaction, one fsync per slice).
        for (let start = 0; start < normalized.length; start += RESERVATIONS_AT_ONCE) {
          const slice = normalized.slice(start, start + RESERVATIONS_AT_ONCE);
          const outcomes = await Promise.allSettled(slice.map(({ original, email }) => this.reserve({ ...original, email }, ctx)));
          let unexpected: unknown;
          outcomes.forEach((outcome, i) => {
            const { original } = slice[i]!;
            if (outcome.status === 'fulfilled') reserved.push(original);
            else if (outcome.reason instanceof DomainError && ['EMAIL_ALREADY_REGISTERED', 'REGISTRATION_PENDING'].includes(outcome.reason.code)) {
              refused.set(original, outcome.reason);
            } else unexpected ??= outcome.reason;
          });
          if (unexpected !== undefined) {
            await this.releaseAll(reserved, ctx);
            throw unexpected;
          }
        }
        let outcome: { value: T; used: (r: Reservation) => boolean };
        try {
          outcome = await work(reserved, refused);
        } catch (error) {
          await this.releaseAll(reserved, ctx);
          throw error;
        }
        await this.releaseAll(
          reserved.filter((r) => !outcome.used(r)),
          ctx,
        );
        return outcome.value;
      },
    );
  }

  /**
   * What reserving the email would answer now, without reserving (a dry run): null when it
   * is free, held by this very holder, or held by an orphan that reserving would release.
   */
  async probe(holder: Reservation): Promise<DomainError | null> {
    const email = normalizeEmail(holder.email);
    const held = (await this.aggregates.load(streams.email(email), emailReservationDecider)).state.reservedBy;
    if (!held || sameHolder(held, holder)) return null;
    return (await this.releasableOrphan(streams.email(email), email, held)) ? null : emailTakenError(held, await this.standingOf(held));
  }

  /** Reserves the email for `holder` (a no-op when it holds it already), releasing an orphan first. */
  async reserve(holder: Reservation, ctx: CommandContext): Promise<void> {
    const emailStream = streams.email(holder.email);
    await this.releaseOrphan(emailStream, holder, ctx);
    try {
      await this.commands.handle(emailReservationDecider, emailStream, { type: 'ReserveEmail', ...holder }, ctx);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'EMAIL_ALREADY_REGISTERED') throw error;
      const held = (await this.aggregates.load(emailStream, emailReservationDecider)).state.reservedBy;
      throw held ? emailTakenError(held, await this.standingOf(held)) : error;
    }
  }

  /** Gives `holder`'s reservation back (a no-op when someone else holds the email). */
  async release(holder: Reservation, ctx: CommandContext): Promise<void> {
    await this.commands.handle(
      emailReservationDecider,
      streams.email(holder.email),
      { type: 'ReleaseEmail', ...holder, email: normalizeEmail(holder.email) },
      { ...ctx, seed: `${ctx.seed}\u0000release` },
    );
  }

  private async releaseAll(reservations: readonly Reservation[], ctx: CommandContext): Promise<void> {
    for (let start = 0; start < reservations.length; start += RESERVATIONS_AT_ONCE) {
      await Promise.all(reservations.slice(start, start + RESERVATIONS_AT_ONCE).map((reservation) => this.release(reservation, ctx)));
    }
  }

  private async whileInFlight<T>(emails: readonly string[], work: () => Promise<T>): Promise<T> {
    for (const email of emails) this.inFlight.set(email, (this.inFlight.get(email) ?? 0) + 1);
    try {
      return await work();
    } finally {
      for (const email of emails) {
        const left = (this.inFlight.get(email) ?? 1) - 1;
        if (left > 0) this.inFlight.set(email, left);
        else this.inFlight.delete(email);
      }
    }
  }

  /** Releases another registration's reservation of this email when it is an orphan (see the class comment). */
  private async releaseOrphan(emailStream: string, mine: Reservation, ctx: CommandContext): Promise<void> {
    const held = (await this.aggregates.load(emailStream, emailReservationDecider)).state.reservedBy;
    if (!held || sameHolder(held, mine)) return;
    if (!(await this.releasableOrphan(emailStream, mine.email, held, 1))) return;
    await this.commands.handle(
      emailReservationDecider,
      emailStream,
      { type: 'ReleaseEmail', email: mine.email, ...held },
      { ...ctx, seed: `${ctx.seed}\u0000release-orphan` },
    );
  }

  /**
   * An orphan: neither a registered user nor a pending request holds it, and either the
   * account closed its request, or no registration of this process holds it (beyond the
   * `ours` that are asking) and it was made before this process started (a crashed
   * predecessor) or long enough ago that no other process can still be about to append.
   */
  private async releasableOrphan(emailStream: string, email: string, held: EmailHolder, ours = 0): Promise<boolean> {
    const standing = await this.standingOf(held);
    if (standing === 'closed-request') return true;
    if (standing !== 'unconfirmed') return false;
    if ((this.inFlight.get(email) ?? 0) > ours) return false;
    const reserved = (await this.store.readStream(emailStream)).filter((e) => e.type === 'EmailReserved').at(-1);
    const at = reserved?.recordedAt.getTime() ?? Number.POSITIVE_INFINITY;
    return at < this.startedAt || Date.now() - at > ORPHAN_AFTER_MS;
  }

  private async standingOf(held: EmailHolder) {
    return emailHolderStanding(held, await this.accounts.load(held.accountId));
  }
}

const sameHolder = (a: EmailHolder, b: EmailHolder): boolean => a.accountId === b.accountId && a.userId === b.userId;
