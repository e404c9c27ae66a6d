import { Module } from '@nestjs/common';

/** Analytics queries of the query API (resolvers and services of this feature are registered here). */
@Module({ providers: [] })
export class AnalyticsModule {}
