import { Module } from '@nestjs/common';

/** Audit queries of the query API (resolvers and services of this feature are registered here). */
@Module({ providers: [] })
export class AuditModule {}
