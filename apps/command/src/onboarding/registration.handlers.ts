import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  accountDecider,
  emailDomain,
  initialAccountState,
  mayLearnOf,
  noAccountForDomain,
  notFound,
  type Actor,
  type ApproveRegistration,
  type RegistrationStatus,
  type RejectRegistration,
  type RequestRegistration,
} from '@ses/domain';
import type { DomainEvent } from '@ses/events';
import type { DecideRegistrationInput, RequestRegistrationInput } from '../graphql/types';
import { AccountCommands } from '../application/account-commands';
import { SesCommand, type WithPosition } from '../application/command-envelope';
import { CommandRunner, type Outcome } from '../application/command-runner';
import { EmailRegistration } from '../application/email-registration';
import { ENTITY_LOCATOR, type EntityLocator } from '../infrastructure/lookups/lookups';
import { DomainClaims } from './domain-claims';
import { userIdOfRequest } from './registration-ids';

type Result = { requestId: string; accountId: string; status: RegistrationStatus; userId: string | null };
export class RequestRegistrationCommand extends SesCommand<RequestRegistrationInput, WithPosition<Result>> {}
export class ApproveRegistrationCommand extends SesCommand<DecideRegistrationInput, WithPosition<Result>> {}
export class RejectRegistrationCommand extends SesCommand<DecideRegistrationInput, WithPosition<Result>> {}

const answerOf = (accountId: string, requestId: string, events: readonly DomainEvent[], decided?: RegistrationStatus): Result => {
  const approval = events.find((e) => e.type === 'RegistrationApproved');
  if (approval) return { requestId, accountId, status: 'APPROVED', userId: approval.data.userId };
  return { requestId, accountId, status: decided ?? 'PENDING', userId: null };
};

/**
 * A person (token email not registered) asks to join the account that claims their
 * email's domain. The email is reserved for the request (for the user its approval will
 * register), then the request is appended to the account; with autoApprove the same
 * append registers them. See EmailRegistration for what a crash in between leaves.
 */
@CommandHandler(RequestRegistrationCommand)
export class RequestRegistrationHandler implements ICommandHandler<RequestRegistrationCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly registration: EmailRegistration,
    private readonly claims: DomainClaims,
  ) {}

  execute({ envelope, input }: RequestRegistrationCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const requestId = ctx.newId('registration-request');
      const command: RequestRegistration = {
        type: 'RequestRegistration',
        actor: ctx.actor,
        now: ctx.now,
        requestId,
        userId: userIdOfRequest(requestId),
        displayName: input.displayName,
        country: input.country,
      };
      const email = ctx.actor.kind === 'unregistered' ? ctx.actor.email : '';
      const accountId = email ? await this.claims.claimant(emailDomain(email)) : undefined;
      if (accountId === undefined) {
        // No account claims the domain: refused in the decider's order (who asks, validation, then NOT_FOUND telling whom to ask).
        accountDecider.decide(command, initialAccountState());
        throw noAccountForDomain(emailDomain(email));
      }
      const holder = { email, userId: command.userId, requestId };
      return this.registration.register(accountId, holder, command, ctx, (events) => answerOf(accountId, requestId, events));
    });
  }
}

/** Finds the request's account and the request (NOT_FOUND when the actor may not learn of it), for both decisions. */
@Injectable()
export class RegistrationRequests {
  constructor(
    private readonly accounts: AccountCommands,
    @Inject(ENTITY_LOCATOR) private readonly locator: EntityLocator,
  ) {}

  /** A user decides in their own account (no lookup: another account's request is simply not there); the operator anywhere. */
  async accountOf(requestId: string, actor: Actor): Promise<string> {
    if (actor.kind === 'user') return actor.accountId;
    const accountId = await this.locator.accountOf(requestId);
    if (accountId === undefined || !mayLearnOf(actor, accountId)) throw notFound('registration request');
    return accountId;
  }

  async emailOf(accountId: string, requestId: string): Promise<string | undefined> {
    return (await this.accounts.load(accountId)).registrationRequests[requestId]?.email;
  }
}

/**
 * Approval: the request's email is reserved for the user it registers since the person
 * asked; the reservation is made sure of (a no-op), then RegistrationApproved and
 * UserRegistered are appended together. A failed approval never gives the email back:
 * the request still holds it (or another decision took it over).
 */
@CommandHandler(ApproveRegistrationCommand)
export class ApproveRegistrationHandler implements ICommandHandler<ApproveRegistrationCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly requests: RegistrationRequests,
    private readonly registration: EmailRegistration,
  ) {}

  execute({ envelope, input }: ApproveRegistrationCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const accountId = await this.requests.accountOf(input.requestId, ctx.actor);
      const command: ApproveRegistration = {
        type: 'ApproveRegistration',
        actor: ctx.actor,
        now: ctx.now,
        requestId: input.requestId,
        userId: userIdOfRequest(input.requestId),
      };
      // Refused (who decides, unknown or decided request) before anything is touched.
      accountDecider.decide(command, await this.accounts.load(accountId));
      const email = (await this.requests.emailOf(accountId, input.requestId))!;
      await this.registration.reserve({ email, accountId, userId: command.userId, requestId: input.requestId }, ctx);
      return this.accounts.handle(accountId, command, ctx, (events) => answerOf(accountId, input.requestId, events));
    });
  }
}

/** Rejection: RegistrationRejected is appended, then the email is given back (a crash in between: the next registration of it releases it). */
@CommandHandler(RejectRegistrationCommand)
export class RejectRegistrationHandler implements ICommandHandler<RejectRegistrationCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly requests: RegistrationRequests,
    private readonly registration: EmailRegistration,
  ) {}

  execute({ envelope, input }: RejectRegistrationCommand) {
    return this.runner.run(envelope, async (ctx): Promise<Outcome<Result>> => {
      const accountId = await this.requests.accountOf(input.requestId, ctx.actor);
      const command: RejectRegistration = { type: 'RejectRegistration', actor: ctx.actor, now: ctx.now, requestId: input.requestId, reason: input.reason };
      const outcome = await this.accounts.handle(accountId, command, ctx, (events) => answerOf(accountId, input.requestId, events, 'REJECTED'));
      const email = (await this.requests.emailOf(accountId, input.requestId))!;
      await this.registration.release({ email, accountId, userId: userIdOfRequest(input.requestId), requestId: input.requestId }, ctx);
      return outcome;
    });
  }
}
