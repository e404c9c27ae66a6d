import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import { signDocument, type SigningKey as Key } from '@ses/auth';
import { authorize, DomainError, permits, policyProducts, policyVerdict, type PolicyFacts } from '@ses/domain';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import type { UserDoc } from '../auth/viewer';
import type { AlertRuleDoc, EntitlementDoc, GroupDoc } from '../accounts/account-docs';
import { actingOf } from '../auth/access';
import type { Policy, PolicyProduct, SigningKey } from '../graphql/types';
import { COLLECTIONS as C } from '../projections/projection';
import type { QueryContext } from '../shared/query-context';
import { SeatHolders } from './seat-holders';

export const SIGNING_KEY = Symbol('SIGNING_KEY');
const DAY_MS = 24 * 3600 * 1000;

/** What the desktop client downloads after sign-in, signed so that it can be trusted offline. */
@Resolver()
export class PolicyResolver {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SIGNING_KEY) private readonly key: Key,
    private readonly holders: SeatHolders,
  ) {}

  @Query()
  async signingKeys(@Context() ctx: QueryContext): Promise<SigningKey[]> {
    await ctx.viewer();
    return [{ kid: this.key.kid, alg: this.key.alg, publicKeyPem: this.key.publicKeyPem }];
  }

  @Query()
  async policy(@Context() ctx: QueryContext): Promise<Policy> {
    const viewer = await ctx.viewer();
    if (viewer.kind !== 'user') throw new DomainError('FORBIDDEN', 'a policy is issued to registered users only');
    const acting = actingOf(viewer, viewer.accountId);
    authorize(acting, 'readOwnAccount');
    const issuedAt = new Date();
    const now = issuedAt.toISOString();
    const facts = await this.policyFacts(viewer.accountId, viewer.userId);
    const products: PolicyProduct[] = [];
    for (const row of policyProducts(facts, viewer.userId, now)) {
      const holders = await this.holders.of(viewer.accountId, row.productId, now);
      products.push(
        policyVerdict(
          facts,
          row,
          viewer.userId,
          holders.map((holder) => holder.userId),
          now,
        ),
      );
    }
    const allowedDays = products.filter((p) => p.allowed).map((p) => p.offlineDays);
    // With nothing allowed there is nothing to run offline: the policy still lives a day, so the client re-checks tomorrow.
    const expiresAt = new Date(issuedAt.getTime() + (allowedDays.length ? Math.min(...allowedDays) : 1) * DAY_MS);
    const canDownload = permits(acting, 'downloadSoftware');
    const content = { userId: viewer.userId, accountId: viewer.accountId, issuedAt: now, expiresAt: expiresAt.toISOString(), canDownload, products };
    return { ...content, token: await signDocument(this.key, 'ses-policy+jwt', { sub: viewer.userId, ...content }, issuedAt, expiresAt) };
  }

  /** What the policy reads of the account, from the read models: its entitlements and alert rules, the user and the user's groups. */
  private async policyFacts(accountId: string, userId: string): Promise<PolicyFacts> {
    const [entitlements, user, groups, rules] = await Promise.all([
      this.store.find<EntitlementDoc>(C.entitlements, { accountId }),
      this.store.findOne<UserDoc>(C.users, { _id: userId }),
      this.store.find<GroupDoc>(C.groups, { accountId, memberIds: userId }),
      this.store.find<AlertRuleDoc>(C.alertRules, { accountId }),
    ]);
    return {
      entitlements: Object.fromEntries(entitlements.map((doc) => [doc._id, { ...doc, entitlementId: doc._id }])),
      users: user ? { [userId]: { userId, country: user.country, active: user.status === 'ACTIVE', groupIds: user.groupIds ?? [] } } : {},
      groups: Object.fromEntries(groups.map((group) => [group._id, { productIds: group.productIds }])),
      alertRules: Object.fromEntries(rules.map((rule) => [rule._id, rule])),
    };
  }
}
