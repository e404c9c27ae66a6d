import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RevokeEntitlementInput } from '../../graphql/types';
import { AccountCommands } from '../../application/account-commands';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';

export class RevokeEntitlementCommand extends SesCommand<RevokeEntitlementInput, WithPosition<{ entitlementId: string }>> {}

@CommandHandler(RevokeEntitlementCommand)
export class RevokeEntitlementHandler implements ICommandHandler<RevokeEntitlementCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: RevokeEntitlementCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const { entitlementId, reason } = input;
      const accountId = await this.accounts.accountOf(entitlementId, 'entitlement', ctx.actor);
      return this.accounts.handle(accountId, { type: 'RevokeEntitlement', actor: ctx.actor, now: ctx.now, entitlementId, reason }, ctx, () => ({
        entitlementId,
      }));
    });
  }
}
