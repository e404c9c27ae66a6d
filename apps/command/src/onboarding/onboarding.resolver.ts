import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type {
  AccountDomainsPayload,
  DecideRegistrationInput,
  RegisterUsersInput,
  RegisterUsersPayload,
  RegistrationPayload,
  RequestRegistrationInput,
  SetAccountDomainsInput,
} from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { RegisterUsersCommand } from './register-users.handler';
import { ApproveRegistrationCommand, RejectRegistrationCommand, RequestRegistrationCommand } from './registration.handlers';
import { SetAccountDomainsCommand } from './set-account-domains.handler';

/** The command side of the contract extension "onboarding" (onboarding.command.graphql). */
@Resolver()
export class OnboardingResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation()
  async setAccountDomains(@Args('input') input: SetAccountDomainsInput, @Context() ctx: RequestContext): Promise<AccountDomainsPayload> {
    return this.commands.execute(new SetAccountDomainsCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async requestRegistration(@Args('input') input: RequestRegistrationInput, @Context() ctx: RequestContext): Promise<RegistrationPayload> {
    return this.commands.execute(new RequestRegistrationCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async approveRegistration(@Args('input') input: DecideRegistrationInput, @Context() ctx: RequestContext): Promise<RegistrationPayload> {
    return this.commands.execute(new ApproveRegistrationCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async rejectRegistration(@Args('input') input: DecideRegistrationInput, @Context() ctx: RequestContext): Promise<RegistrationPayload> {
    return this.commands.execute(new RejectRegistrationCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async registerUsers(@Args('input') input: RegisterUsersInput, @Context() ctx: RequestContext): Promise<RegisterUsersPayload> {
    return this.commands.execute(new RegisterUsersCommand(await envelopeOf(ctx, input), input));
  }
}
