import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideSeatPool, sessionOwner } from '@ses/domain';
import type { SessionInput } from '../../graphql/types';
import { AccountCommands } from '../../shared/account-commands';
import { assertActiveMember, assertActsFor } from '../../shared/account-access';
import { SesCommand, type WithPosition } from '../../shared/command-envelope';
import { CommandRunner } from '../../shared/command-runner';
import { SeatPools } from '../../shared/seat-pools';

type Result = WithPosition<{ sessionId: string }>;
export class HeartbeatUsageCommand extends SesCommand<SessionInput, Result> {}
export class EndUsageCommand extends SesCommand<SessionInput, Result> {}

/** Heartbeats come from the session's own user; administrators may also end anyone's session (releasing the seat). */
@CommandHandler(HeartbeatUsageCommand)
export class HeartbeatUsageHandler implements ICommandHandler<HeartbeatUsageCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly pools: SeatPools,
  ) {}

  execute({ envelope, input }: HeartbeatUsageCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const pool = await this.pools.poolOf(input.sessionId, 'session', ctx.actor);
      assertActiveMember(await this.accounts.load(pool.accountId), ctx.actor);
      const userId = ctx.actor.kind === 'user' ? ctx.actor.userId : undefined;
      const appended = await this.pools.execute(
        pool,
        (state) => decideSeatPool({ type: 'HeartbeatUsage', now: ctx.now, sessionId: input.sessionId, userId }, state),
        ctx,
        ctx.completion({ sessionId: input.sessionId }),
      );
      return { result: { sessionId: input.sessionId }, position: appended.position };
    });
  }
}

@CommandHandler(EndUsageCommand)
export class EndUsageHandler implements ICommandHandler<EndUsageCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly pools: SeatPools,
  ) {}

  execute({ envelope, input }: EndUsageCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const pool = await this.pools.poolOf(input.sessionId, 'session', ctx.actor);
      const account = await this.accounts.load(pool.accountId);
      const owner = sessionOwner((await this.pools.load(pool)).state, input.sessionId);
      assertActsFor(account, ctx.actor, owner ?? '');
      const appended = await this.pools.execute(
        pool,
        (state) => decideSeatPool({ type: 'EndUsage', now: ctx.now, sessionId: input.sessionId }, state),
        ctx,
        ctx.completion({ sessionId: input.sessionId }),
      );
      return { result: { sessionId: input.sessionId }, position: appended.position };
    });
  }
}
