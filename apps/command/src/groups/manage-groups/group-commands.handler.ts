import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CreateGroup } from '@ses/domain';
import type { CreateGroupInput, GroupMemberInput, SetGroupProductsInput } from '../../graphql/types';
import { AccountCommands } from '../../application/account-commands';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';

type Result = WithPosition<{ groupId: string }>;
export class CreateGroupCommand extends SesCommand<CreateGroupInput, Result> {}
export class SetGroupProductsCommand extends SesCommand<SetGroupProductsInput, Result> {}
export class AddGroupMemberCommand extends SesCommand<GroupMemberInput, Result> {}
export class RemoveGroupMemberCommand extends SesCommand<GroupMemberInput, Result> {}

@CommandHandler(CreateGroupCommand)
export class CreateGroupHandler implements ICommandHandler<CreateGroupCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: CreateGroupCommand) {
    return this.runner.run(envelope, (ctx) => {
      const command: CreateGroup = {
        type: 'CreateGroup',
        actor: ctx.actor,
        now: ctx.now,
        groupId: ctx.newId('group'),
        name: input.name,
        productIds: input.productIds,
      };
      return this.accounts.handle(input.accountId, command, ctx, () => ({ groupId: command.groupId }));
    });
  }
}

@CommandHandler(SetGroupProductsCommand)
export class SetGroupProductsHandler implements ICommandHandler<SetGroupProductsCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: SetGroupProductsCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const accountId = await this.accounts.accountOf(input.groupId, 'group', ctx.actor);
      const command = { type: 'SetGroupProducts' as const, actor: ctx.actor, now: ctx.now, groupId: input.groupId, productIds: input.productIds };
      return this.accounts.handle(accountId, command, ctx, () => ({ groupId: input.groupId }));
    });
  }
}

// @Injectable() makes TypeScript emit the constructor's parameter types, which Nest reads for the subclasses.
@Injectable()
abstract class GroupMemberHandler {
  protected abstract readonly type: 'AddGroupMember' | 'RemoveGroupMember';
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: AddGroupMemberCommand | RemoveGroupMemberCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const accountId = await this.accounts.accountOf(input.groupId, 'group', ctx.actor);
      const command = { type: this.type, actor: ctx.actor, now: ctx.now, groupId: input.groupId, userId: input.userId };
      return this.accounts.handle(accountId, command, ctx, () => ({ groupId: input.groupId }));
    });
  }
}

@CommandHandler(AddGroupMemberCommand)
export class AddGroupMemberHandler extends GroupMemberHandler implements ICommandHandler<AddGroupMemberCommand> {
  protected readonly type = 'AddGroupMember';
}

@CommandHandler(RemoveGroupMemberCommand)
export class RemoveGroupMemberHandler extends GroupMemberHandler implements ICommandHandler<RemoveGroupMemberCommand> {
  protected readonly type = 'RemoveGroupMember';
}
