import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SetAlertRule } from '@ses/domain';
import type { AlertAction } from '@ses/events';
import type { RemoveAlertRuleInput, SetAlertRuleInput } from '../../graphql/types';
import { AccountCommands } from '../../application/account-commands';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';

type Result = WithPosition<{ ruleId: string }>;
export class SetAlertRuleCommand extends SesCommand<SetAlertRuleInput, Result> {}
export class RemoveAlertRuleCommand extends SesCommand<RemoveAlertRuleInput, Result> {}

@CommandHandler(SetAlertRuleCommand)
export class SetAlertRuleHandler implements ICommandHandler<SetAlertRuleCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: SetAlertRuleCommand) {
    return this.runner.run(envelope, (ctx) => {
      const command: SetAlertRule = {
        type: 'SetAlertRule',
        actor: ctx.actor,
        now: ctx.now,
        ruleId: ctx.newId('alert-rule'),
        productId: input.productId,
        thresholdSeats: input.thresholdSeats,
        action: input.action as AlertAction | undefined,
        notifyUserIds: input.notifyUserIds,
      };
      return this.accounts.handle(input.accountId, command, ctx, () => ({ ruleId: command.ruleId }));
    });
  }
}

@CommandHandler(RemoveAlertRuleCommand)
export class RemoveAlertRuleHandler implements ICommandHandler<RemoveAlertRuleCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: RemoveAlertRuleCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const accountId = await this.accounts.accountOf(input.ruleId, 'alert rule', ctx.actor);
      return this.accounts.handle(accountId, { type: 'RemoveAlertRule', actor: ctx.actor, now: ctx.now, ruleId: input.ruleId }, ctx, () => ({
        ruleId: input.ruleId,
      }));
    });
  }
}
