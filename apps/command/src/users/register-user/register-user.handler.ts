import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RegisterUserInput } from '../../graphql/types';
import { SesCommand, type WithPosition } from '../../shared/command-envelope';
import { CommandRunner } from '../../shared/command-runner';
import { EmailRegistration } from '../../shared/email-registration';

export class RegisterUserCommand extends SesCommand<RegisterUserInput, WithPosition<{ userId: string }>> {}

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly registration: EmailRegistration,
  ) {}

  execute({ envelope, input }: RegisterUserCommand) {
    return this.runner.run(envelope, (ctx) => {
      const userId = ctx.newId('user');
      const { accountId, email, displayName, country } = input;
      return this.registration.register(
        accountId,
        { userId, email },
        { type: 'RegisterUser', actor: ctx.actor, now: ctx.now, userId, email, displayName, country },
        ctx,
        { userId },
      );
    });
  }
}
