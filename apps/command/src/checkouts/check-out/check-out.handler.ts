import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideSeatPool, DomainError, isBoundedText, LIMITS, type BulkCheckOut } from '@ses/domain';
import type { EventDataByType } from '@ses/events';
import type { BulkCheckOutInput, CheckOutInput } from '../../graphql/types';
import { AccountCommands } from '../../shared/account-commands';
import { assertActiveMember, assertActsFor, isSeatManager } from '../../shared/account-access';
import { SesCommand, type WithPosition } from '../../shared/command-envelope';
import { CommandRunner } from '../../shared/command-runner';
import { SeatPools } from '../../shared/seat-pools';
import { LicenseSigner } from '../license-signer';

type Checkout = EventDataByType['LicenseCheckedOut'];
type CheckoutResult = Omit<Checkout, 'accountId'> & { license: string };

export class CheckOutCommand extends SesCommand<CheckOutInput, WithPosition<CheckoutResult>> {}
export class BulkCheckOutCommand extends SesCommand<BulkCheckOutInput, WithPosition<{ checkouts: CheckoutResult[] }>> {}

async function withLicenses(signer: LicenseSigner, checkouts: Checkout[]): Promise<CheckoutResult[]> {
  return Promise.all(checkouts.map(async ({ accountId: _a, ...rest }, i) => ({ ...rest, license: await signer.sign(checkouts[i]) })));
}

/** A user (or an administrator for them) reserves a seat for offline use and gets a signed license. */
@CommandHandler(CheckOutCommand)
export class CheckOutHandler implements ICommandHandler<CheckOutCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly pools: SeatPools,
    private readonly signer: LicenseSigner,
  ) {}

  execute({ envelope, input }: CheckOutCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const actor = ctx.actor;
      if (!isBoundedText(input.productId, LIMITS.productId)) throw new DomainError('BAD_USER_INPUT', 'invalid productId', ['productId']);
      const userId = input.userId ?? (actor.kind === 'user' ? actor.userId : undefined);
      if (!userId) throw new DomainError(actor.kind === 'operator' ? 'BAD_USER_INPUT' : 'FORBIDDEN', 'userId is required', ['userId']);
      const accountId = actor.kind === 'user' ? actor.accountId : await this.accounts.accountOf(userId, 'user', actor);
      const account = await this.accounts.load(accountId);
      assertActsFor(account, actor, userId);
      if (!account.users[userId]) throw new DomainError('NOT_FOUND', 'user not found');
      const checkoutId = ctx.newId('checkout');
      let result: CheckoutResult | undefined;
      const appended = await this.pools.execute(
        { accountId, productId: input.productId },
        async (state) => {
          const context = { ...this.pools.poolFacts(account, input.productId, ctx.now), ...this.pools.userFacts(account, userId, input.productId, ctx.now) };
          const events = decideSeatPool({ type: 'CheckOut', now: ctx.now, checkoutId, userId, machineId: input.machineId, days: input.days, context }, state);
          const checkedOut = events.find((e) => e.type === 'LicenseCheckedOut');
          [result] = await withLicenses(this.signer, checkedOut ? [checkedOut.data] : []);
          return events;
        },
        ctx,
        () => ctx.completion(result ?? {}),
      );
      return { result: result!, position: appended.position };
    });
  }
}

/** An administrator checks out one product for many users: all or nothing, in one append. */
@CommandHandler(BulkCheckOutCommand)
export class BulkCheckOutHandler implements ICommandHandler<BulkCheckOutCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly pools: SeatPools,
    private readonly signer: LicenseSigner,
  ) {}

  execute({ envelope, input }: BulkCheckOutCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const account = await this.accounts.load(input.accountId);
      if (ctx.actor.kind !== 'operator' && !account.exists) throw new DomainError('FORBIDDEN', 'not a user of this account');
      if (ctx.actor.kind === 'operator' && !account.exists) throw new DomainError('NOT_FOUND', 'account not found');
      assertActiveMember(account, ctx.actor);
      if (!isSeatManager(account, ctx.actor)) throw new DomainError('FORBIDDEN', 'only administrators check out for other users');
      if (!isBoundedText(input.productId, LIMITS.productId)) throw new DomainError('BAD_USER_INPUT', 'invalid productId', ['productId']);
      let results: CheckoutResult[] = [];
      const appended = await this.pools.execute(
        { accountId: input.accountId, productId: input.productId },
        async (state) => {
          const command: BulkCheckOut = {
            type: 'BulkCheckOut',
            now: ctx.now,
            machineId: input.machineId ?? 'any',
            days: input.days,
            context: this.pools.poolFacts(account, input.productId, ctx.now),
            checkouts: input.userIds.map((userId, i) => ({
              checkoutId: ctx.newId(`checkout:${i}`),
              userId,
              ...this.pools.userFacts(account, userId, input.productId, ctx.now),
            })),
          };
          const events = decideSeatPool(command, state);
          results = await withLicenses(
            this.signer,
            events.flatMap((e) => (e.type === 'LicenseCheckedOut' ? [e.data] : [])),
          );
          return events;
        },
        ctx,
        () => ctx.completion({ checkouts: results }),
      );
      return { result: { checkouts: results }, position: appended.position };
    });
  }
}
