import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { GrantEntitlement } from '@ses/domain';
import type { GrantEntitlementInput } from '../../graphql/types';
import { AccountCommands } from '../../application/account-commands';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';

export class GrantEntitlementCommand extends SesCommand<GrantEntitlementInput, WithPosition<{ entitlementId: string }>> {}

@CommandHandler(GrantEntitlementCommand)
export class GrantEntitlementHandler implements ICommandHandler<GrantEntitlementCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: GrantEntitlementCommand) {
    return this.runner.run(envelope, (ctx) => {
      const { commandId: _, accountId, ...fields } = input;
      const command: GrantEntitlement = { type: 'GrantEntitlement', actor: ctx.actor, now: ctx.now, entitlementId: ctx.newId('entitlement'), ...fields };
      return this.accounts.handle(accountId, command, ctx, () => ({ entitlementId: command.entitlementId }));
    });
  }
}
