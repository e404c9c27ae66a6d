import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { SessionInput, SessionPayload, StartUsageInput, UsageDecision } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { EndUsageCommand, HeartbeatUsageCommand } from './session-lifecycle/session-lifecycle.handler';
import { StartUsageCommand } from './start-usage/start-usage.handler';

@Resolver()
export class UsageResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation()
  async startUsage(@Args('input') input: StartUsageInput, @Context() ctx: RequestContext): Promise<UsageDecision> {
    return this.commands.execute(new StartUsageCommand(await envelopeOf(ctx, { commandId: null }), input));
  }

  @Mutation()
  async heartbeatUsage(@Args('input') input: SessionInput, @Context() ctx: RequestContext): Promise<SessionPayload> {
    return this.commands.execute(new HeartbeatUsageCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async endUsage(@Args('input') input: SessionInput, @Context() ctx: RequestContext): Promise<SessionPayload> {
    return this.commands.execute(new EndUsageCommand(await envelopeOf(ctx, input), input));
  }
}
