import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OpenAccountInput } from '../../graphql/types';
import { SesCommand, type WithPosition } from '../../shared/command-envelope';
import { CommandRunner } from '../../shared/command-runner';
import { EmailRegistration } from '../../shared/email-registration';

type Result = { accountId: string; fulfillmentContactUserId: string };

export class OpenAccountCommand extends SesCommand<OpenAccountInput, WithPosition<Result>> {}

@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly registration: EmailRegistration,
  ) {}

  execute({ envelope, input }: OpenAccountCommand) {
    return this.runner.run(envelope, (ctx) => {
      const accountId = ctx.newId('account');
      const userId = ctx.newId('contact');
      const contact = { userId, email: input.fulfillmentContact.email, displayName: input.fulfillmentContact.displayName };
      return this.registration.register(
        accountId,
        contact,
        { type: 'OpenAccount', actor: ctx.actor, now: ctx.now, accountId, name: input.name, entitlementCountry: input.entitlementCountry, contact },
        ctx,
        { accountId, fulfillmentContactUserId: userId },
      );
    });
  }
}
