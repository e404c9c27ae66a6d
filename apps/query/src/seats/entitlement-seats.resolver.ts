import { Parent, ResolveField, Resolver, Int } from '@nestjs/graphql';
import { Entitlement } from '../graphql/types';
import { SeatHolders } from './seat-holders';

@Resolver(() => Entitlement)
export class EntitlementSeatsResolver {
  constructor(private readonly holders: SeatHolders) {}

  /** Distinct users with an active session or check-out of this entitlement's product, now. */
  @ResolveField(() => Int)
  async seatsInUse(@Parent() entitlement: Entitlement): Promise<number> {
    if (typeof entitlement.seatsInUse === 'number') return entitlement.seatsInUse;
    return this.holders.count(entitlement.accountId, entitlement.productId, new Date().toISOString());
  }
}
