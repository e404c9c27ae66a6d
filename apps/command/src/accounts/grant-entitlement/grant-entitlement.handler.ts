import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { GrantEntitlementInput } from '../../graphql/types';
import { AccountCommands } from '../../shared/account-commands';
import { SesCommand, type WithPosition } from '../../shared/command-envelope';
import { CommandRunner } from '../../shared/command-runner';

export class GrantEntitlementCommand extends SesCommand<GrantEntitlementInput, WithPosition<{ entitlementId: string }>> {}

@CommandHandler(GrantEntitlementCommand)
export class GrantEntitlementHandler implements ICommandHandler<GrantEntitlementCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: GrantEntitlementCommand) {
    return this.runner.run(envelope, (ctx) => {
      const entitlementId = ctx.newId('entitlement');
      const { commandId: _, accountId, ...fields } = input;
      return this.accounts.execute(accountId, { type: 'GrantEntitlement', actor: ctx.actor, now: ctx.now, entitlementId, ...fields }, ctx, { entitlementId });
    });
  }
}
