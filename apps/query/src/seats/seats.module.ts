import { Module } from '@nestjs/common';
import { loadSigningKey } from '@ses/auth';
import { SES_CONFIG, type SesConfig } from '@ses/platform';
import { EntitlementSeatsResolver } from './entitlement-seats.resolver';
import { PolicyResolver, SIGNING_KEY } from './policy.resolver';
import { SeatHolders } from './seat-holders';
import { SeatsResolver } from './seats.resolver';

/** Seats in use, check-outs, alerts, and the signed policy. */
@Module({
  providers: [
    { provide: SIGNING_KEY, inject: [SES_CONFIG], useFactory: (config: SesConfig) => loadSigningKey({ pem: config.signingKeyPem, dataDir: config.dataDir }) },
    SeatHolders,
    SeatsResolver,
    EntitlementSeatsResolver,
    PolicyResolver,
  ],
})
export class SeatsModule {}
