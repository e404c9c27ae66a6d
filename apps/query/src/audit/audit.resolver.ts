import { Args, Context, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { assertCanRead } from '../auth/access';
import type { AccountSnapshot, HistoryVerification } from '../graphql/types';
import type { QueryContext } from '../shared/query-context';
import { AccountAsOf } from './account-as-of';
import { HistoryVerifier } from './history-verifier';
import { selectsField } from './selection';

/** Audits: the account as it stood at an instant, and tamper evidence over its hash chains (managers and the operator). */
@Resolver()
export class AuditResolver {
  constructor(
    private readonly asOf: AccountAsOf,
    private readonly verifier: HistoryVerifier,
  ) {}

  @Query()
  async accountAsOf(
    @Args('accountId') accountId: string,
    @Args('at') at: string,
    @Context() ctx: QueryContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AccountSnapshot> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    // Seat pools are replayed only when seatsInUse is asked for: they hold every session and heartbeat.
    const account = await this.asOf.accountAt(accountId, at, { withSeatsInUse: selectsField(info, 'seatsInUse') });
    return { at, account };
  }

  @Query()
  async verifyHistory(@Args('accountId') accountId: string, @Context() ctx: QueryContext): Promise<HistoryVerification> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.verifier.verify(accountId);
  }
}
