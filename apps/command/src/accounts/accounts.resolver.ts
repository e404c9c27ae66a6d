import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { EntitlementPayload, GrantEntitlementInput, OpenAccountInput, OpenAccountPayload, RevokeEntitlementInput } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { GrantEntitlementCommand } from './grant-entitlement/grant-entitlement.handler';
import { OpenAccountCommand } from './open-account/open-account.handler';
import { RevokeEntitlementCommand } from './revoke-entitlement/revoke-entitlement.handler';

@Resolver()
export class AccountsResolver {
  constructor(private readonly commands: CommandBus) {}

  @Query()
  async ping(@Context() ctx: RequestContext): Promise<string> {
    await ctx.principal();
    return 'pong';
  }

  @Mutation()
  async openAccount(@Args('input') input: OpenAccountInput, @Context() ctx: RequestContext): Promise<OpenAccountPayload> {
    return this.commands.execute(new OpenAccountCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async grantEntitlement(@Args('input') input: GrantEntitlementInput, @Context() ctx: RequestContext): Promise<EntitlementPayload> {
    return this.commands.execute(new GrantEntitlementCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async revokeEntitlement(@Args('input') input: RevokeEntitlementInput, @Context() ctx: RequestContext): Promise<EntitlementPayload> {
    return this.commands.execute(new RevokeEntitlementCommand(await envelopeOf(ctx, input), input));
  }
}
