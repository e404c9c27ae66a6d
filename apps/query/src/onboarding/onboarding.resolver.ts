import { Inject } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ADMINISTRATOR_ROLES } from '@ses/domain';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { assertCanRead, canRead } from '../auth/access';
import type { UserDoc } from '../auth/viewer';
import type { Account, Contact, RegistrationRequest, RegistrationStatus, Role } from '../graphql/types';
import { COLLECTIONS as C } from '../projections/projection';
import type { QueryContext } from '../shared/query-context';
import { ONBOARDING, type AccountDomainsDoc, type RegistrationRequestDoc } from './onboarding.projection';

const toRequest = (doc: RegistrationRequestDoc): RegistrationRequest => ({
  id: doc._id,
  accountId: doc.accountId,
  email: doc.email,
  displayName: doc.displayName,
  country: doc.country,
  status: doc.status,
  requestedAt: doc.requestedAt,
  decidedAt: doc.decidedAt,
  decidedBy: doc.decidedBy,
  reason: doc.reason,
  userId: doc.userId,
});

const NEWEST_FIRST = { order: -1 } as const;

/** The query side of the contract extension "onboarding" (onboarding.query.graphql). */
@Resolver()
export class OnboardingResolver {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /**
   * "Finding your Administrator": the active administrators and co-administrators of the
   * signed-in user's account. A deactivated user may ask too (they are who most needs to
   * find one); a person who is not registered, and the operator, get an empty list.
   */
  @Query()
  async myAdministrators(@Context() ctx: QueryContext): Promise<Contact[]> {
    const viewer = await ctx.viewer();
    if (viewer.kind !== 'user') return [];
    const docs = await this.store.find<UserDoc>(
      C.users,
      { accountId: viewer.accountId, status: 'ACTIVE', roles: { $in: [...ADMINISTRATOR_ROLES] } },
      { sort: { displayName: 1, _id: 1 } },
    );
    return docs.map((doc) => ({ userId: doc._id, displayName: doc.displayName, email: doc.email, roles: (doc.roles ?? []) as Role[] }));
  }

  /** The signed-in person's own requests (by the token's email), newest first; none for the operator. */
  @Query()
  async myRegistrationRequests(@Context() ctx: QueryContext): Promise<RegistrationRequest[]> {
    const viewer = await ctx.viewer();
    if (viewer.kind === 'operator' || !viewer.email) return [];
    return (await this.store.find<RegistrationRequestDoc>(ONBOARDING.registrationRequests, { emailNormalized: viewer.email }, { sort: NEWEST_FIRST })).map(
      toRequest,
    );
  }

  /** Requests to join the account, newest first: administrators, co-administrators, auditors and the operator. */
  @Query()
  async registrationRequests(
    @Args('accountId') accountId: string,
    @Args('status') status: RegistrationStatus | null,
    @Context() ctx: QueryContext,
  ): Promise<RegistrationRequest[]> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    const filter = status ? { accountId, status } : { accountId };
    return (await this.store.find<RegistrationRequestDoc>(ONBOARDING.registrationRequests, filter, { sort: NEWEST_FIRST })).map(toRequest);
  }
}

/** Account.domains and Account.autoApprove: as of an instant for accountAsOf (the snapshot carries them), else the read model. */
@Resolver('Account')
export class AccountDomainsResolver {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /** Visible to the account's administrators, co-administrators and auditors, and the operator; empty for anyone else. */
  @ResolveField()
  async domains(@Parent() account: Account, @Context() ctx: QueryContext): Promise<string[]> {
    if (account.domains) return account.domains; // a historical snapshot: only managers reach one
    if (!canRead(await ctx.viewer(), account.id, 'manager')) return [];
    return (await this.settingsOf(account.id))?.domains ?? [];
  }

  @ResolveField()
  async autoApprove(@Parent() account: Account): Promise<boolean> {
    if (typeof account.autoApprove === 'boolean') return account.autoApprove;
    return (await this.settingsOf(account.id))?.autoApprove ?? false;
  }

  private settingsOf(accountId: string): Promise<AccountDomainsDoc | null> {
    return this.store.findOne<AccountDomainsDoc>(ONBOARDING.accountDomains, { _id: accountId });
  }
}
