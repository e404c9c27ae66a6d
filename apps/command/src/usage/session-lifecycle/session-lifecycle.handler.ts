import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SessionInput } from '../../graphql/types';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';
import { SeatPoolCommands } from '../../application/seat-pool-commands';

type Result = WithPosition<{ sessionId: string }>;
export class HeartbeatUsageCommand extends SesCommand<SessionInput, Result> {}
export class EndUsageCommand extends SesCommand<SessionInput, Result> {}

/** Heartbeats come from the session's own user; administrators may also end anyone's session (releasing the seat). */
@CommandHandler(HeartbeatUsageCommand)
export class HeartbeatUsageHandler implements ICommandHandler<HeartbeatUsageCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly pools: SeatPoolCommands,
  ) {}

  execute({ envelope, input }: HeartbeatUsageCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const { sessionId } = input;
      const pool = await this.pools.poolOfSession(ctx.actor, sessionId, ctx.freshSince);
      const command = { type: 'HeartbeatUsage' as const, now: ctx.now, sessionId, actor: await this.pools.acting(pool, ctx) };
      return this.pools.handleForResultGrouped(pool, `session:${sessionId}`, this.pools.withSessionRecord(pool, command), ctx, () => ({ sessionId }));
    });
  }
}

@CommandHandler(EndUsageCommand)
export class EndUsageHandler implements ICommandHandler<EndUsageCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly pools: SeatPoolCommands,
  ) {}

  execute({ envelope, input }: EndUsageCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const { sessionId } = input;
      const pool = await this.pools.poolOfSession(ctx.actor, sessionId, ctx.freshSince);
      const command = { type: 'EndUsage' as const, now: ctx.now, sessionId, actor: await this.pools.acting(pool, ctx) };
      return this.pools.handleForResultGrouped(pool, `session:${sessionId}`, this.pools.withSessionRecord(pool, command), ctx, () => ({ sessionId }));
    });
  }
}
