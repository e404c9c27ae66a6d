import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { RegisterUserInput, RoleInput, UserInput, UserPayload } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { GrantRoleCommand, RevokeRoleCommand } from './change-role/change-role.handler';
import { DeactivateUserCommand } from './deactivate-user/deactivate-user.handler';
import { RegisterUserCommand } from './register-user/register-user.handler';

@Resolver()
export class UsersResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation()
  async registerUser(@Args('input') input: RegisterUserInput, @Context() ctx: RequestContext): Promise<UserPayload> {
    return this.commands.execute(new RegisterUserCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async deactivateUser(@Args('input') input: UserInput, @Context() ctx: RequestContext): Promise<UserPayload> {
    return this.commands.execute(new DeactivateUserCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async grantRole(@Args('input') input: RoleInput, @Context() ctx: RequestContext): Promise<UserPayload> {
    return this.commands.execute(new GrantRoleCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async revokeRole(@Args('input') input: RoleInput, @Context() ctx: RequestContext): Promise<UserPayload> {
    return this.commands.execute(new RevokeRoleCommand(await envelopeOf(ctx, input), input));
  }
}
