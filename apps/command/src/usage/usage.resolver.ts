import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { SessionInput, SessionPayload, StartUsageInput, UsageDecision } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { EndUsageCommand, HeartbeatUsageCommand } from './session-lifecycle/session-lifecycle.handler';
import { StartUsageCommand } from './start-usage/start-usage.handler';

@Resolver()
export class UsageResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation(() => UsageDecision)
  async startUsage(@Args('input') input: StartUsageInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new StartUsageCommand(await envelopeOf(ctx, { commandId: null }), input));
  }

  @Mutation(() => SessionPayload)
  async heartbeatUsage(@Args('input') input: SessionInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new HeartbeatUsageCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation(() => SessionPayload)
  async endUsage(@Args('input') input: SessionInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new EndUsageCommand(await envelopeOf(ctx, input), input));
  }
}
