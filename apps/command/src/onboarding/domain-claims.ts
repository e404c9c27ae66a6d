import { Inject, Injectable } from '@nestjs/common';
import { accountDecider, domainChanges, domainClaimDecider, normalizeDomain, type SetAccountDomains } from '@ses/domain';
import { EVENT_STORE, type EventStore } from '@ses/event-store';
import { streams } from '@ses/events';
import { AccountCommands } from '../application/account-commands';
import { CommandHandling } from '../application/command-handling';
import type { Outcome, RunContext } from '../application/command-runner';
import { AggregateStore, type CommandContext } from '../infrastructure/aggregate-store';
import { KeyedMutex } from '../infrastructure/keyed-mutex';

/** How old a claim its account does not list must be before another process's setAccountDomains may still be completing it. */
const ORPHAN_AFTER_MS = 60_000;

/**
 * Keeps each email domain with at most one account, in the spirit of the email
 * reservations (application/email-registration.ts): a stream per domain
 * (domain-claim.decider.ts), claimed before the account's AccountDomainsSet is appended,
 * given back when that append fails, and the domains the account dropped released after
 * it. Two accounts claiming one domain at once append to the same stream: one wins, the
 * other gets DOMAIN_ALREADY_CLAIMED and appends nothing to its account.
 *
 * A crash between the claim and the account append (or between the append and the
 * release of dropped domains) leaves a claim its account does not list: an orphan. Its
 * account's own retry completes it (a claim by the same account is a no-op); another
 * account's claim releases it once no setAccountDomains can still be completing it (made
 * before this process started, or a minute ago, and none of this process in flight).
 * Only an account that lists a domain answers for it (requestRegistration checks both).
 */
@Injectable()
export class DomainClaims {
  /** setAccountDomains of this process between claiming a domain and appending to the account. */
  private readonly inFlight = new Map<string, number>();
  private readonly startedAt = Date.now();
  /** One setAccountDomains per account at a time in this process: what it releases after is what the one before left. */
  private readonly perAccount = new KeyedMutex();

  constructor(
    private readonly commands: CommandHandling,
    private readonly aggregates: AggregateStore,
    private readonly accounts: AccountCommands,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The account whose claim holds `domain` (it answers for it only if it lists it too). */
  async claimant(domain: string): Promise<string | undefined> {
    return (await this.aggregates.load(streams.domain(normalizeDomain(domain)), domainClaimDecider)).state.claimedBy ?? undefined;
  }

  /** setAccountDomains: validates on the account, claims what it adds, appends, then releases what it dropped. */
  setDomains<R extends Record<string, unknown>>(accountId: string, command: SetAccountDomains, ctx: RunContext, result: () => R): Promise<Outcome<R>> {
    return this.perAccount.run(accountId, async () => {
      const account = await this.accounts.load(accountId);
      // Refused as a whole (authorization, validation, no account): nothing claimed.
      accountDecider.decide(command, account);
      const { added } = domainChanges(account, command.domains);
      // Copied: the account's state is folded in place by the append below.
      const before = [...account.domains];
      return this.whileInFlight(added, async () => {
        const claimed: string[] = [];
        let outcome: Outcome<R>;
        try {
          for (const domain of added) {
            await this.claim(accountId, domain, ctx);
            claimed.push(domain);
          }
          outcome = await this.accounts.handle(accountId, command, ctx, result);
        } catch (error) {
          for (const domain of claimed) await this.release(accountId, domain, ctx);
          throw error;
        }
        // What the account lists now decides what it still holds (also a claim orphaned by an earlier crash).
        const listed = (await this.accounts.load(accountId)).domains;
        for (const domain of before.filter((d) => !listed.includes(d))) await this.release(accountId, domain, ctx);
        return outcome;
      });
    });
  }

  private async claim(accountId: string, domain: string, ctx: CommandContext): Promise<void> {
    const stream = streams.domain(domain);
    const held = (await this.aggregates.load(stream, domainClaimDecider)).state.claimedBy;
    if (held !== null && held !== accountId && (await this.isOrphan(stream, domain, held))) {
      await this.commands.handle(
        domainClaimDecider,
        stream,
        { type: 'ReleaseDomain', domain, accountId: held },
        { ...ctx, seed: `${ctx.seed}\u0000release-orphan` },
      );
    }
    await this.commands.handle(domainClaimDecider, stream, { type: 'ClaimDomain', domain, accountId }, ctx);
  }

  private async release(accountId: string, domain: string, ctx: CommandContext): Promise<void> {
    await this.commands.handle(
      domainClaimDecider,
      streams.domain(domain),
      { type: 'ReleaseDomain', domain, accountId },
      { ...ctx, seed: `${ctx.seed}\u0000release` },
    );
  }

  /** A claim whose account does not list the domain, that no setAccountDomains can still be completing. */
  private async isOrphan(stream: string, domain: string, holder: string): Promise<boolean> {
    if ((await this.accounts.load(holder)).domains.includes(domain)) return false;
    if ((this.inFlight.get(domain) ?? 0) > 1) return false; // count 1 is the claim asking
    const claimed = (await this.store.readStream(stream)).filter((e) => e.type === 'DomainClaimed').at(-1);
    const at = claimed?.recordedAt.getTime() ?? Number.POSITIVE_INFINITY;
    return at < this.startedAt || Date.now() - at > ORPHAN_AFTER_MS;
  }

  private async whileInFlight<T>(domains: readonly string[], work: () => Promise<T>): Promise<T> {
    for (const domain of domains) this.inFlight.set(domain, (this.inFlight.get(domain) ?? 0) + 1);
    try {
      return await work();
    } finally {
      for (const domain of domains) {
        const left = (this.inFlight.get(domain) ?? 1) - 1;
        if (left > 0) this.inFlight.set(domain, left);
        else this.inFlight.delete(domain);
      }
    }
  }
}
