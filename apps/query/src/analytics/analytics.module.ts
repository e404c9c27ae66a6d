import { Module } from '@nestjs/common';
import { AnalyticsQueries } from './analytics.queries';
import { AnalyticsResolver } from './analytics.resolver';

/** Analytics queries of the query API: usageReport, concurrency and termLicenseUsage (read models: usage-analytics.projection.ts). */
@Module({ providers: [AnalyticsQueries, AnalyticsResolver] })
export class AnalyticsModule {}
