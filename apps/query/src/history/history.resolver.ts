import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { DomainError, isIntInRange, LIMITS } from '@ses/domain';
import { READ_STORE, type Doc, type ReadStore } from '@ses/read-store';
import { assertCanRead } from '../auth/access';
import type { EventPage, RecordedEvent } from '../graphql/types';
import { COLLECTIONS as C, positionKey } from '../projections/projection';
import type { QueryContext } from '../shared/query-context';

const [MIN_PAGE, MAX_PAGE] = LIMITS.historyPage;

interface HistoryDoc extends Doc {
  accountId: string;
  position: string;
  streamId: string;
  revision: number;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

@Resolver()
export class HistoryResolver {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /**
   * The account's events, oldest first. The cursor is the last returned position:
   * positions only grow, so pages stay stable while new events are appended.
   */
  @Query()
  async eventHistory(
    @Args('accountId') accountId: string,
    @Args('after') after: string | null,
    @Args('first') first: number | null,
    @Args('types') types: string[] | null,
    @Context() ctx: QueryContext,
  ): Promise<EventPage> {
    assertCanRead(await ctx.viewer(), accountId, 'manager');
    const size = first ?? 100;
    const problems: string[] = [];
    if (!isIntInRange(size, MIN_PAGE, MAX_PAGE)) problems.push('first');
    if (after != null && !/^\d{1,30}$/.test(after)) problems.push('after');
    if (types && types.length > LIMITS.historyTypes) problems.push('types');
    if (problems.length)
      throw new DomainError(
        'BAD_USER_INPUT',
        `invalid ${problems.join(', ')} (first: ${MIN_PAGE}..${MAX_PAGE}; after: a cursor from a previous page)`,
        problems,
      );
    const filter: Record<string, unknown> = { accountId };
    if (after != null) filter._id = { $gt: positionKey(BigInt(after)) };
    if (types && types.length > 0) filter.type = { $in: types };
    const docs = await this.store.find<HistoryDoc>(C.history, filter, { sort: { _id: 1 }, limit: size + 1 });
    const page = docs.slice(0, size);
    const events: RecordedEvent[] = page.map(
      (d) =>
        ({
          position: d.position,
          streamId: d.streamId,
          revision: d.revision,
          type: d.type,
          occurredAt: d.occurredAt,
          data: d.data,
          metadata: d.metadata,
        }) as RecordedEvent,
    );
    return { events, nextCursor: docs.length > size ? page[page.length - 1].position : null };
  }
}
