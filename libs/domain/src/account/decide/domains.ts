import type { DomainEvent } from '@ses/events';
import { LIMITS, Validator, isHostName, normalizeDomain } from '../../shared/validation';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { SetAccountDomains } from '../account.commands';
import type { AccountState } from '../account.state';
import { dedupe } from './input-rules';

/** The domains as the account will hold them: lower case, trimmed, each once, in the order given. */
export const normalizedDomains = (domains: readonly string[]): string[] => dedupe(domains.map(normalizeDomain));

/**
 * The account's email domains and auto-approval. Whether a domain is free is not the
 * account's to know: the shell claims each added domain in its own stream
 * (domain-claim.decider.ts) before this is appended, and releases the dropped ones after.
 */
export function decideSetAccountDomains(c: SetAccountDomains, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageDomains');
  const domains = normalizedDomains(c.domains);
  new Validator()
    .check(domains.length <= LIMITS.accountDomains, 'domains', `at most ${LIMITS.accountDomains} domains`)
    .check(domains.every(isHostName), 'domains', 'each must be a host name such as acme.example')
    .check(typeof c.autoApprove === 'boolean', 'autoApprove', 'true or false')
    .throwIfInvalid();
  requireAccount(state);
  const same = domains.length === state.domains.length && domains.every((d, i) => d === state.domains[i]);
  if (same && c.autoApprove === state.autoApprove) return [];
  return [{ type: 'AccountDomainsSet', data: { accountId: state.accountId, domains, autoApprove: c.autoApprove } }];
}

/** What setting `domains` changes against the account's current ones: domains to claim first, and to release after. */
export function domainChanges(state: AccountState, domains: readonly string[]): { added: string[]; removed: string[] } {
  const next = normalizedDomains(domains);
  return { added: next.filter((d) => !state.domains.includes(d)), removed: state.domains.filter((d) => !next.includes(d)) };
}
