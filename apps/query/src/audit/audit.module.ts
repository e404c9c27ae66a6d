import { Module } from '@nestjs/common';
import { AccountAsOf } from './account-as-of';
import { AuditResolver } from './audit.resolver';
import { HistoryVerifier } from './history-verifier';

/** Audit queries of the query API: accountAsOf and verifyHistory. */
@Module({ providers: [AccountAsOf, HistoryVerifier, AuditResolver] })
export class AuditModule {}
