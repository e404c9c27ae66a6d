import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CheckInInput } from '../../graphql/types';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';
import { SeatPoolCommands } from '../../application/seat-pool-commands';

export class CheckInCommand extends SesCommand<CheckInInput, WithPosition<{ checkoutId: string }>> {}

/** The holder, or an administrator of the account, gives a checked-out seat back early. */
@CommandHandler(CheckInCommand)
export class CheckInHandler implements ICommandHandler<CheckInCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly pools: SeatPoolCommands,
  ) {}

  execute({ envelope, input }: CheckInCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const { checkoutId } = input;
      const pool = await this.pools.poolOfCheckout(ctx.actor, checkoutId);
      const command = { type: 'CheckIn' as const, now: ctx.now, checkoutId, actor: await this.pools.acting(pool, ctx) };
      return this.pools.handleForResultGrouped(pool, `checkout:${checkoutId}`, this.pools.withCheckoutRecord(pool, command), ctx, () => ({ checkoutId }));
    });
  }
}
