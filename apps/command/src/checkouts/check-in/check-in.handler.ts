import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { checkoutHolder, decideSeatPool } from '@ses/domain';
import type { CheckInInput } from '../../graphql/types';
import { AccountCommands } from '../../shared/account-commands';
import { assertActsFor } from '../../shared/account-access';
import { SesCommand, type WithPosition } from '../../shared/command-envelope';
import { CommandRunner } from '../../shared/command-runner';
import { SeatPools } from '../../shared/seat-pools';

export class CheckInCommand extends SesCommand<CheckInInput, WithPosition<{ checkoutId: string }>> {}

/** The holder, or an administrator of the account, gives a checked-out seat back early. */
@CommandHandler(CheckInCommand)
export class CheckInHandler implements ICommandHandler<CheckInCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly pools: SeatPools,
  ) {}

  execute({ envelope, input }: CheckInCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const pool = await this.pools.poolOf(input.checkoutId, 'check-out', ctx.actor);
      const holder = checkoutHolder((await this.pools.load(pool)).state, input.checkoutId);
      assertActsFor(await this.accounts.load(pool.accountId), ctx.actor, holder ?? '');
      const appended = await this.pools.execute(
        pool,
        (state) => decideSeatPool({ type: 'CheckIn', now: ctx.now, checkoutId: input.checkoutId }, state),
        ctx,
        ctx.completion({ checkoutId: input.checkoutId }),
      );
      return { result: { checkoutId: input.checkoutId }, position: appended.position };
    });
  }
}
