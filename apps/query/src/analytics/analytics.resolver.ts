import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { assertCanRead } from '../auth/access';
import type { ConcurrencyPoint, Interval, TermUsageRow, UsageDimension, UsageReportRow } from '../graphql/types';
import type { QueryContext } from '../shared/query-context';
import { AnalyticsQueries } from './analytics.queries';

/** Usage reports: account administrators, co-administrators and auditors of the account, and the operator. */
@Resolver()
export class AnalyticsResolver {
  constructor(@Inject(AnalyticsQueries) private readonly queries: Pick<AnalyticsQueries, 'usageReport' | 'concurrency' | 'termLicenseUsage'>) {}

  @Query()
  async usageReport(
    @Args('accountId') accountId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('groupBy') groupBy: UsageDimension[],
    @Args('productId') productId: string | null,
    @Args('userId') userId: string | null,
    @Args('groupId') groupId: string | null,
    @Context() ctx: QueryContext,
  ): Promise<UsageReportRow[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.queries.usageReport({ accountId, from, to, groupBy, productId, userId, groupId });
  }

  @Query()
  async concurrency(
    @Args('accountId') accountId: string,
    @Args('productId') productId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('interval') interval: Interval,
    @Context() ctx: QueryContext,
  ): Promise<ConcurrencyPoint[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.queries.concurrency(accountId, productId, from, to, interval);
  }

  @Query()
  async termLicenseUsage(
    @Args('accountId') accountId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Context() ctx: QueryContext,
  ): Promise<TermUsageRow[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.queries.termLicenseUsage(accountId, from, to);
  }
}
