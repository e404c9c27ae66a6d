import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { CreateGroupInput, GroupMemberInput, GroupPayload, SetGroupProductsInput } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { AddGroupMemberCommand, CreateGroupCommand, RemoveGroupMemberCommand, SetGroupProductsCommand } from './manage-groups/group-commands.handler';

@Resolver()
export class GroupsResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation()
  async createGroup(@Args('input') input: CreateGroupInput, @Context() ctx: RequestContext): Promise<GroupPayload> {
    return this.commands.execute(new CreateGroupCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async setGroupProducts(@Args('input') input: SetGroupProductsInput, @Context() ctx: RequestContext): Promise<GroupPayload> {
    return this.commands.execute(new SetGroupProductsCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async addGroupMember(@Args('input') input: GroupMemberInput, @Context() ctx: RequestContext): Promise<GroupPayload> {
    return this.commands.execute(new AddGroupMemberCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async removeGroupMember(@Args('input') input: GroupMemberInput, @Context() ctx: RequestContext): Promise<GroupPayload> {
    return this.commands.execute(new RemoveGroupMemberCommand(await envelopeOf(ctx, input), input));
  }
}
