import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { CreateGroupInput, GroupMemberInput, GroupPayload, SetGroupProductsInput } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { AddGroupMemberCommand, CreateGroupCommand, RemoveGroupMemberCommand, SetGroupProductsCommand } from './manage-groups/group-commands.handler';

@Resolver()
export class GroupsResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation(() => GroupPayload)
  async createGroup(@Args('input') input: CreateGroupInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new CreateGroupCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation(() => GroupPayload)
  async setGroupProducts(@Args('input') input: SetGroupProductsInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new SetGroupProductsCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation(() => GroupPayload)
  async addGroupMember(@Args('input') input: GroupMemberInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new AddGroupMemberCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation(() => GroupPayload)
  async removeGroupMember(@Args('input') input: GroupMemberInput, @Context() ctx: RequestContext) {
    return this.commands.execute(new RemoveGroupMemberCommand(await envelopeOf(ctx, input), input));
  }
}
