import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { AlertRulePayload, RemoveAlertRuleInput, SetAlertRuleInput } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { RemoveAlertRuleCommand, SetAlertRuleCommand } from './manage-alert-rules/alert-rule-commands.handler';

@Resolver()
export class AlertsResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation()
  async setAlertRule(@Args('input') input: SetAlertRuleInput, @Context() ctx: RequestContext): Promise<AlertRulePayload> {
    return this.commands.execute(new SetAlertRuleCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async removeAlertRule(@Args('input') input: RemoveAlertRuleInput, @Context() ctx: RequestContext): Promise<AlertRulePayload> {
    return this.commands.execute(new RemoveAlertRuleCommand(await envelopeOf(ctx, input), input));
  }
}
