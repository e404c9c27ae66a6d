import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import { assertCanRead } from '../auth/access';
import type { Alert, UsageEvent } from '../graphql/types';
import type { QueryContext } from '../shared/query-context';
import { alertTopic, LiveEvents, usageTopic } from './live-events';

/**
 * Subscriptions are reads: only the account's administrators, co-administrators and auditors
 * (or the operator) get events, and each principal has at most so many open at once.
 * The fields of UsageEvent and Alert come from the payload alone (never from the viewer):
 * LiveEvents serializes an event once for every subscriber with the same selection.
 */
@Resolver()
export class LiveResolver {
  constructor(private readonly live: LiveEvents) {}

  @Subscription('usageEvents', { resolve: (payload: UsageEvent) => payload })
  async usageEvents(@Args('accountId') accountId: string, @Context() ctx: QueryContext) {
    const viewer = await ctx.viewer();
    assertCanRead(viewer, accountId, 'manager');
    return this.live.open<UsageEvent>(usageTopic(accountId), viewer.sub);
  }

  @Subscription('alertRaised', { resolve: (payload: Alert) => payload })
  async alertRaised(@Args('accountId') accountId: string, @Context() ctx: QueryContext) {
    const viewer = await ctx.viewer();
    assertCanRead(viewer, accountId, 'manager');
    return this.live.open<Alert>(alertTopic(accountId), viewer.sub);
  }
}
