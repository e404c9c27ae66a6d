import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OpenAccount } from '@ses/domain';
import type { OpenAccountInput } from '../../graphql/types';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';
import { EmailRegistration } from '../../application/email-registration';

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
      const contact = { userId: ctx.newId('contact'), email: input.fulfillmentContact.email, displayName: input.fulfillmentContact.displayName };
      const command: OpenAccount = {
        type: 'OpenAccount',
        actor: ctx.actor,
        now: ctx.now,
        accountId: ctx.newId('account'),
        name: input.name,
        entitlementCountry: input.entitlementCountry,
        contact,
      };
      return this.registration.register(command.accountId, contact, command, ctx, () => ({
        accountId: command.accountId,
        fulfillmentContactUserId: contact.userId,
      }));
    });
  }
}
