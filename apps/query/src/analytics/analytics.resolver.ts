import { Inject } from '@nestjs/common';
import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import { assertCanRead } from '../auth/access';
import { ConcurrencyPoint, DateTimeScalar, Interval, TermUsageRow, UsageDimension, UsageReportRow } from '../graphql/types';
import type { QueryContext } from '../shared/query-context';
import { AnalyticsQueries } from './analytics.queries';

/** Usage reports: account administrators, co-administrators and auditors of the account, and the operator. */
@Resolver()
export class AnalyticsResolver {
  constructor(@Inject(AnalyticsQueries) private readonly queries: Pick<AnalyticsQueries, 'usageReport' | 'concurrency' | 'termLicenseUsage'>) {}

  @Query(() => [UsageReportRow])
  async usageReport(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('from', { type: () => DateTimeScalar }) from: string,
    @Args('to', { type: () => DateTimeScalar }) to: string,
    @Args('groupBy', { type: () => [UsageDimension] }) groupBy: UsageDimension[],
    @Args('productId', { type: () => ID, nullable: true }) productId: string | null,
    @Args('userId', { type: () => ID, nullable: true }) userId: string | null,
    @Args('groupId', { type: () => ID, nullable: true }) groupId: string | null,
    @Context() ctx: QueryContext,
  ): Promise<UsageReportRow[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.queries.usageReport({ accountId, from, to, groupBy, productId, userId, groupId });
  }

  @Query(() => [ConcurrencyPoint])
  async concurrency(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('productId', { type: () => ID }) productId: string,
    @Args('from', { type: () => DateTimeScalar }) from: string,
    @Args('to', { type: () => DateTimeScalar }) to: string,
    @Args('interval', { type: () => Interval }) interval: Interval,
    @Context() ctx: QueryContext,
  ): Promise<ConcurrencyPoint[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.queries.concurrency(accountId, productId, from, to, interval);
  }

  @Query(() => [TermUsageRow])
  async termLicenseUsage(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('from', { type: () => DateTimeScalar }) from: string,
    @Args('to', { type: () => DateTimeScalar }) to: string,
    @Context() ctx: QueryContext,
  ): Promise<TermUsageRow[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.queries.termLicenseUsage(accountId, from, to);
  }
}
