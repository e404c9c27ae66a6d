import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import { assertCanRead } from '../auth/access';
import type { Alert, UsageEvent } from '../graphql/types';
import type { QueryContext } from '../shared/query-context';
import { alertTopic, LiveEvents, usageTopic } from './live-events';

/** Subscriptions are reads: only the account's administrators, co-administrators and auditors (or the operator) get events. */
@Resolver()
export class LiveResolver {
  constructor(private readonly live: LiveEvents) {}

  @Subscription('usageEvents', { resolve: (payload: UsageEvent) => payload })
  async usageEvents(@Args('accountId') accountId: string, @Context() ctx: QueryContext) {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.live.pubsub.asyncIterableIterator<UsageEvent>(usageTopic(accountId));
  }

  @Subscription('alertRaised', { resolve: (payload: Alert) => payload })
  async alertRaised(@Args('accountId') accountId: string, @Context() ctx: QueryContext) {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    return this.live.pubsub.asyncIterableIterator<Alert>(alertTopic(accountId));
  }
}
