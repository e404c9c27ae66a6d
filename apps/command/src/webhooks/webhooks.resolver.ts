import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { RemoveWebhookInput, SetWebhookInput, WebhookPayload } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { RemoveWebhookCommand, SetWebhookCommand } from './manage-webhooks/webhook-commands.handler';

/** Contract extension "notifications": webhooks of an account (deliveries are the query app's). */
@Resolver()
export class WebhooksResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation()
  async setWebhook(@Args('input') input: SetWebhookInput, @Context() ctx: RequestContext): Promise<WebhookPayload> {
    return this.commands.execute(new SetWebhookCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async removeWebhook(@Args('input') input: RemoveWebhookInput, @Context() ctx: RequestContext): Promise<WebhookPayload> {
    return this.commands.execute(new RemoveWebhookCommand(await envelopeOf(ctx, input), input));
  }
}
