import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actingOnAccount, checkOutFor, poolFactsOf, userFactsOf, type BulkCheckOut, type CheckOut } from '@ses/domain';
import type { BulkCheckOutInput, CheckOutInput } from '../../graphql/types';
import { AccountCommands } from '../../application/account-commands';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';
import { SeatPoolCommands } from '../../application/seat-pool-commands';
import { checkoutsOf, LicenseSigner, type LicensedCheckout, type RecordedCheckout } from '../license-signer';

export class CheckOutCommand extends SesCommand<CheckOutInput, WithPosition<LicensedCheckout>> {}
export class BulkCheckOutCommand extends SesCommand<BulkCheckOutInput, WithPosition<{ checkouts: LicensedCheckout[] }>> {}

/** A user (or an administrator for them) reserves a seat for offline use and gets a signed license. */
@CommandHandler(CheckOutCommand)
export class CheckOutHandler implements ICommandHandler<CheckOutCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly pools: SeatPoolCommands,
    private readonly signer: LicenseSigner,
  ) {}

  execute({ envelope, input }: CheckOutCommand) {
    return this.runner.runThenPresent(
      envelope,
      async (ctx) => {
        const userId = checkOutFor(ctx.actor, input.userId);
        const accountId = await this.pools.accountToCheckOutIn(ctx.actor, userId);
        const account = await this.accounts.loadForCommand(accountId, ctx);
        const command: CheckOut = {
          type: 'CheckOut',
          now: ctx.now,
          actor: actingOnAccount(account, ctx.actor),
          checkoutId: ctx.newId('checkout'),
          userId,
          machineId: input.machineId,
          days: input.days,
          context: { ...poolFactsOf(account, input.productId, ctx.now), ...userFactsOf(account, userId, input.productId, ctx.now) },
        };
        const pool = { accountId, productId: input.productId };
        return this.pools.handleForResultGrouped(pool, `checkout:${command.checkoutId}`, command, ctx, (events): RecordedCheckout => checkoutsOf(events)[0]!);
      },
      (checkout) => this.signer.licensed(checkout),
    );
  }
}

/** An administrator checks out one product for many users: all or nothing, in one append. */
@CommandHandler(BulkCheckOutCommand)
export class BulkCheckOutHandler implements ICommandHandler<BulkCheckOutCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly pools: SeatPoolCommands,
    private readonly signer: LicenseSigner,
  ) {}

  execute({ envelope, input }: BulkCheckOutCommand) {
    return this.runner.runThenPresent(
      envelope,
      async (ctx) => {
        const pool = { accountId: input.accountId, productId: input.productId };
        const account = await this.accounts.load(input.accountId);
        const command: BulkCheckOut = {
          type: 'BulkCheckOut',
          now: ctx.now,
          actor: actingOnAccount(account, ctx.actor),
          machineId: input.machineId,
          days: input.days,
          context: poolFactsOf(account, input.productId, ctx.now),
          checkouts: input.userIds.map((userId, i) => ({
            checkoutId: ctx.newId(`checkout:${i}`),
            userId,
            ...userFactsOf(account, userId, input.productId, ctx.now),
          })),
        };
        return this.pools.handleForResult(pool, command, ctx, (events): { checkouts: RecordedCheckout[] } => ({ checkouts: checkoutsOf(events) }));
      },
      async ({ checkouts }) => ({ checkouts: await Promise.all(checkouts.map((checkout) => this.signer.licensed(checkout))) }),
    );
  }
}
