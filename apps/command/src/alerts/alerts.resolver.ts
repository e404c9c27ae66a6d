import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { AlertRulePayload, RemoveAlertRuleInput, SetAlertRuleInput } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { RemoveAlertRuleCommand, SetAlertRuleCommand } from './manage-alert-rules/alert-rule-commands.handler';

@Resolver()
export class AlertsResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation(() => AlertRulePayload)
  async setAlertRule(@Args('input') input: SetAlertRuleInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new SetAlertRuleCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation(() => AlertRulePayload)
  async removeAlertRule(@Args('input') input: RemoveAlertRuleInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new RemoveAlertRuleCommand(await envelopeOf(ctx, input), input));
  }
}
