import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RegisterUser } from '@ses/domain';
import type { RegisterUserInput } from '../../graphql/types';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';
import { EmailRegistration } from '../../application/email-registration';

export class RegisterUserCommand extends SesCommand<RegisterUserInput, WithPosition<{ userId: string }>> {}

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly registration: EmailRegistration,
  ) {}

  execute({ envelope, input }: RegisterUserCommand) {
    return this.runner.run(envelope, (ctx) => {
      const { accountId, email, displayName, country } = input;
      const command: RegisterUser = { type: 'RegisterUser', actor: ctx.actor, now: ctx.now, userId: ctx.newId('user'), email, displayName, country };
      return this.registration.register(accountId, { userId: command.userId, email }, command, ctx, () => ({ userId: command.userId }));
    });
  }
}
