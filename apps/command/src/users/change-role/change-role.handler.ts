import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Role } from '@ses/events';
import type { RoleInput } from '../../graphql/types';
import { AccountCommands } from '../../application/account-commands';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';

type Result = WithPosition<{ userId: string }>;
export class GrantRoleCommand extends SesCommand<RoleInput, Result> {}
export class RevokeRoleCommand extends SesCommand<RoleInput, Result> {}

// @Injectable() makes TypeScript emit the constructor's parameter types, which Nest reads for the subclasses.
@Injectable()
abstract class ChangeRoleHandler {
  protected abstract readonly type: 'GrantRole' | 'RevokeRole';

  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: GrantRoleCommand | RevokeRoleCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const accountId = await this.accounts.accountOf(input.userId, 'user', ctx.actor);
      const command = { type: this.type, actor: ctx.actor, now: ctx.now, userId: input.userId, role: input.role as Role };
      return this.accounts.handle(accountId, command, ctx, () => ({ userId: input.userId }));
    });
  }
}

@CommandHandler(GrantRoleCommand)
export class GrantRoleHandler extends ChangeRoleHandler implements ICommandHandler<GrantRoleCommand> {
  protected readonly type = 'GrantRole';
}

@CommandHandler(RevokeRoleCommand)
export class RevokeRoleHandler extends ChangeRoleHandler implements ICommandHandler<RevokeRoleCommand> {
  protected readonly type = 'RevokeRole';
}
