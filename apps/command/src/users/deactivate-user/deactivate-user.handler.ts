import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { UserInput } from '../../graphql/types';
import { AccountCommands } from '../../application/account-commands';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';

export class DeactivateUserCommand extends SesCommand<UserInput, WithPosition<{ userId: string }>> {}

@CommandHandler(DeactivateUserCommand)
export class DeactivateUserHandler implements ICommandHandler<DeactivateUserCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
  ) {}

  execute({ envelope, input }: DeactivateUserCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const accountId = await this.accounts.accountOf(input.userId, 'user', ctx.actor);
      return this.accounts.handle(accountId, { type: 'DeactivateUser', actor: ctx.actor, now: ctx.now, userId: input.userId }, ctx, () => ({
        userId: input.userId,
      }));
    });
  }
}
