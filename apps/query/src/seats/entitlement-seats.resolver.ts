import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Entitlement } from '../graphql/types';
import { SeatHolders } from './seat-holders';

@Resolver('Entitlement')
export class EntitlementSeatsResolver {
  constructor(private readonly holders: SeatHolders) {}

  /** Distinct users with an active session or check-out of this entitlement's product, now. */
  @ResolveField()
  async seatsInUse(@Parent() entitlement: Entitlement): Promise<number> {
    if (typeof entitlement.seatsInUse === 'number') return entitlement.seatsInUse;
    return this.holders.count(entitlement.accountId, entitlement.productId, new Date().toISOString());
  }
}
