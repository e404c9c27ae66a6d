import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { normalizedDomains, type SetAccountDomains } from '@ses/domain';
import type { SetAccountDomainsInput } from '../graphql/types';
import { SesCommand, type WithPosition } from '../application/command-envelope';
import { CommandRunner } from '../application/command-runner';
import { DomainClaims } from './domain-claims';

type Result = { accountId: string; domains: string[]; autoApprove: boolean };
export class SetAccountDomainsCommand extends SesCommand<SetAccountDomainsInput, WithPosition<Result>> {}

@CommandHandler(SetAccountDomainsCommand)
export class SetAccountDomainsHandler implements ICommandHandler<SetAccountDomainsCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly claims: DomainClaims,
  ) {}

  execute({ envelope, input }: SetAccountDomainsCommand) {
    return this.runner.run(envelope, (ctx) => {
      const command: SetAccountDomains = { type: 'SetAccountDomains', actor: ctx.actor, now: ctx.now, domains: input.domains, autoApprove: input.autoApprove };
      return this.claims.setDomains(input.accountId, command, ctx, () => ({
        accountId: input.accountId,
        domains: normalizedDomains(input.domains),
        autoApprove: input.autoApprove,
      }));
    });
  }
}
