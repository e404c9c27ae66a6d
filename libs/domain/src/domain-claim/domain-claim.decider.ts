import type { DomainEvent } from '@ses/events';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { normalizeDomain } from '../shared/validation';

/**
 * One stream per email domain keeps a domain with at most one account, as the
 * email-reservation streams keep an email with one user: two accounts claiming one
 * domain at once append to the same stream, and optimistic concurrency lets one win.
 * The shell claims every domain an account adds before appending AccountDomainsSet to
 * the account, releases them when that append fails, and releases the domains the
 * account dropped after it.
 */
export interface DomainClaimState {
  domain: string | null;
  claimedBy: string | null;
}

export type DomainClaimCommand = { type: 'ClaimDomain' | 'ReleaseDomain'; domain: string; accountId: string };

export const initialDomainClaimState = (): DomainClaimState => ({ domain: null, claimedBy: null });

export function decideDomainClaim(command: DomainClaimCommand, state: DomainClaimState): DomainEvent[] {
  const domain = normalizeDomain(command.domain);
  const { accountId } = command;
  switch (command.type) {
    case 'ClaimDomain':
      if (state.claimedBy === accountId) return [];
      if (state.claimedBy !== null) throw new DomainError('DOMAIN_ALREADY_CLAIMED', `the domain ${domain} belongs to another account`, ['domains']);
      return [{ type: 'DomainClaimed', data: { domain, accountId } }];
    case 'ReleaseDomain':
      // Never release another account's claim.
      if (state.claimedBy !== accountId) return [];
      return [{ type: 'DomainReleased', data: { domain, accountId } }];
    default: {
      const unknown: never = command.type;
      throw new Error(`unknown domain-claim command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveDomainClaim(state: DomainClaimState, event: DomainEvent): DomainClaimState {
  switch (event.type) {
    case 'DomainClaimed':
      return { domain: event.data.domain, claimedBy: event.data.accountId };
    case 'DomainReleased':
      return state.claimedBy === event.data.accountId ? { ...state, claimedBy: null } : state;
    default:
      return state;
  }
}

export const domainClaimDecider: Decider<DomainClaimCommand, DomainEvent, DomainClaimState> = {
  decide: decideDomainClaim,
  evolve: evolveDomainClaim,
  initialState: initialDomainClaimState,
};
