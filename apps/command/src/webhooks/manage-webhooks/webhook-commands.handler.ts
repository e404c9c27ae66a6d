import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SetWebhook } from '@ses/domain';
import type { RemoveWebhookInput, SetWebhookInput } from '../../graphql/types';
import { AccountCommands } from '../../application/account-commands';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';
import { WebhookUrlFacts } from '../webhook-url-facts';

type Result = WithPosition<{ webhookId: string }>;
export class SetWebhookCommand extends SesCommand<SetWebhookInput, Result> {}
export class RemoveWebhookCommand extends SesCommand<RemoveWebhookInput, Result> {}

@CommandHandler(SetWebhookCommand)
export class SetWebhookHandler implements ICommandHandler<SetWebhookCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly urls: WebhookUrlFacts,
  ) {}

  execute({ envelope, input }: SetWebhookCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const command: SetWebhook = {
        type: 'SetWebhook',
        actor: ctx.actor,
        now: ctx.now,
        webhookId: ctx.newId('webhook'),
        url: input.url,
        eventTypes: input.eventTypes,
        description: input.description,
        urlPolicy: this.urls.policy,
        resolvedAddresses: await this.urls.resolvedAddresses(input.url),
      };
      return this.accounts.handle(input.accountId, command, ctx, () => ({ webhookId: command.webhookId }));
    });
  }
}

@CommandHandler(RemoveWebhookCommand)
export class RemoveWebhookHandler implements ICommandHandler<RemoveWebhookCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: RemoveWebhookCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const accountId = await this.accounts.accountOf(input.webhookId, 'webhook', ctx.actor);
      return this.accounts.handle(accountId, { type: 'RemoveWebhook', actor: ctx.actor, now: ctx.now, webhookId: input.webhookId }, ctx, () => ({
        webhookId: input.webhookId,
      }));
    });
  }
}
