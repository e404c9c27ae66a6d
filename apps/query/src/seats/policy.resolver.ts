import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import { signDocument, type SigningKey as Key } from '@ses/auth';
import { DomainError, policyProducts, seatsOwned, type AccountState } from '@ses/domain';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import type { UserDoc } from '../auth/viewer';
import type { AccountDoc, AlertRuleDoc, EntitlementDoc, GroupDoc } from '../accounts/account-docs';
import { Policy, SigningKey, type PolicyProduct } from '../graphql/types';
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

  @Query(() => [SigningKey])
  async signingKeys(@Context() ctx: QueryContext): Promise<SigningKey[]> {
    await ctx.viewer();
    return [{ kid: this.key.kid, alg: this.key.alg, publicKeyPem: this.key.publicKeyPem }];
  }

  @Query(() => Policy, { description: "The signed-in user's policy." })
  async policy(@Context() ctx: QueryContext): Promise<Policy> {
    const viewer = await ctx.viewer();
    if (viewer.kind !== 'user') throw new DomainError('FORBIDDEN', 'a policy is issued to registered users only');
    if (!viewer.active) throw new DomainError('USER_DEACTIVATED', 'this user is deactivated');
    const issuedAt = new Date();
    const now = issuedAt.toISOString();
    const account = await this.accountState(viewer.accountId, viewer.userId);
    const products: PolicyProduct[] = [];
    for (const product of policyProducts(account, viewer.userId, now)) {
      const holders = await this.holders.of(viewer.accountId, product.productId, now);
      const othersInUse = holders.filter((h) => h.userId !== viewer.userId).length;
      const denyRule = Object.values(account.alertRules).find(
        (r) => r.productId === product.productId && r.action === 'DENY' && othersInUse >= r.thresholdSeats,
      );
      const denied = product.allowed && denyRule !== undefined;
      products.push({
        ...product,
        allowed: product.allowed && !denied,
        denyReason: denied ? 'THRESHOLD_REACHED' : product.denyReason,
        termLicenseUsageLikely: holders.length >= seatsOwned(account, product.productId, now),
      });
    }
    const allowedDays = products.filter((p) => p.allowed).map((p) => p.offlineDays);
    // With nothing allowed there is nothing to run offline: the policy still lives a day, so the client re-checks tomorrow.
    const expiresAt = new Date(issuedAt.getTime() + (allowedDays.length ? Math.min(...allowedDays) : 1) * DAY_MS);
    const canDownload = (account.users[viewer.userId]?.roles ?? []).includes('SOFTWARE_DOWNLOAD');
    const content = { userId: viewer.userId, accountId: viewer.accountId, issuedAt: now, expiresAt: expiresAt.toISOString(), canDownload, products };
    return { ...content, token: await signDocument(this.key, 'ses-policy+jwt', { sub: viewer.userId, ...content }, issuedAt, expiresAt) };
  }

  /** The part of the account aggregate a policy needs, rebuilt from the read models. */
  private async accountState(accountId: string, userId: string): Promise<AccountState> {
    const [account, entitlements, user, groups, rules] = await Promise.all([
      this.store.findOne<AccountDoc>(C.accounts, { _id: accountId }),
      this.store.find<EntitlementDoc>(C.entitlements, { accountId }),
      this.store.findOne<UserDoc>(C.users, { _id: userId }),
      this.store.find<GroupDoc>(C.groups, { accountId, memberIds: userId }),
      this.store.find<AlertRuleDoc>(C.alertRules, { accountId }),
    ]);
    return {
      exists: account !== null,
      accountId,
      name: account?.name ?? '',
      entitlementCountry: account?.entitlementCountry ?? '',
      openedAt: account?.openedAt ?? '',
      entitlements: Object.fromEntries(entitlements.map(({ _id, accountId: _a, ...e }) => [_id, { ...e, entitlementId: _id }])),
      users: user
        ? {
            [userId]: {
              userId,
              email: user.email,
              emailNormalized: user.emailNormalized,
              displayName: user.displayName,
              country: user.country,
              active: user.status === 'ACTIVE',
              roles: user.roles ?? [],
              registeredAt: user.registeredAt,
              groupIds: user.groupIds ?? [],
            },
          }
        : {},
      groups: Object.fromEntries(groups.map((g) => [g._id, { groupId: g._id, name: g.name, productIds: g.productIds, memberIds: g.memberIds }])),
      alertRules: Object.fromEntries(
        rules.map((r) => [
          r._id,
          { ruleId: r._id, productId: r.productId, thresholdSeats: r.thresholdSeats, action: r.action, notifyUserIds: r.notifyUserIds },
        ]),
      ),
    } as AccountState;
  }
}
