import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideSeatPool, DomainError, isBoundedText, LIMITS, sessionDecision, usageWarnings, type StartUsage } from '@ses/domain';
import type { DenyReason } from '@ses/events';
import type { StartUsageInput } from '../../graphql/types';
import { AccountCommands } from '../../shared/account-commands';
import { SesCommand, type WithPosition } from '../../shared/command-envelope';
import { CommandRunner } from '../../shared/command-runner';
import { SeatPools } from '../../shared/seat-pools';
import { Directory } from '../../infrastructure/directory';

type Decision = { sessionId: string; allowed: boolean; denyReason: DenyReason | null; termLicenseUsage: boolean; warnings: string[] };

export class StartUsageCommand extends SesCommand<StartUsageInput, WithPosition<Decision>> {}

/**
 * A user opens a licensed application. Allowed or denied, the start is recorded in the
 * product's seat pool (denied starts as UsageDenied). A repeated sessionId is the same
 * session: the recorded decision is returned and nothing is appended.
 */
@CommandHandler(StartUsageCommand)
export class StartUsageHandler implements ICommandHandler<StartUsageCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly pools: SeatPools,
    private readonly directory: Directory,
  ) {}

  execute({ envelope, input }: StartUsageCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const problems = [];
      if (!isBoundedText(input.productId, LIMITS.productId)) problems.push('productId');
      if (input.sessionId != null && !isBoundedText(input.sessionId, 100)) problems.push('sessionId');
      if (problems.length) throw new DomainError('BAD_USER_INPUT', `invalid ${problems.join(', ')}`, problems);
      const actor = ctx.actor;
      if (actor.kind === 'operator') throw new DomainError('FORBIDDEN', 'usage sessions are started by users');
      const sessionId = input.sessionId ?? ctx.newId('session');
      if (actor.kind === 'unregistered') {
        // No account to record the start in: the answer is the whole effect.
        return { result: { sessionId, allowed: false, denyReason: 'NOT_REGISTERED' as const, termLicenseUsage: false, warnings: [] }, position: 0n };
      }
      const pool = { accountId: actor.accountId, productId: input.productId };
      const earlier = await this.directory.poolOfEntity(sessionId);
      if (earlier && (earlier.accountId !== pool.accountId || earlier.productId !== pool.productId)) {
        throw new DomainError('BAD_USER_INPUT', 'this sessionId belongs to another session', ['sessionId']);
      }
      const account = await this.accounts.load(actor.accountId);
      const user = account.users[actor.userId];
      let warnings: string[] = [];
      const appended = await this.pools.execute(
        pool,
        (state) => {
          const known = sessionDecision(state, sessionId);
          if (known && known.userId !== actor.userId) throw new DomainError('BAD_USER_INPUT', 'this sessionId belongs to another session', ['sessionId']);
          const command: StartUsage = {
            type: 'StartUsage',
            now: ctx.now,
            sessionId,
            userId: actor.userId,
            machineId: input.machineId,
            productVersion: input.productVersion ?? null,
            country: user.country,
            context: { ...this.pools.poolFacts(account, input.productId, ctx.now), ...this.pools.userFacts(account, actor.userId, input.productId, ctx.now) },
          };
          const events = decideSeatPool(command, state);
          const started = events.find((e) => e.type === 'UsageStarted');
          warnings = started ? usageWarnings(state, command, started.data.termLicenseUsage) : [];
          return events;
        },
        ctx,
      );
      const decision = sessionDecision(appended.state, sessionId)!;
      return {
        result: { sessionId, allowed: decision.allowed, denyReason: decision.denyReason, termLicenseUsage: decision.termLicenseUsage, warnings },
        position: appended.position,
      };
    });
  }
}
