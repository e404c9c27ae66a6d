import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  AppendResult,
  Direction,
  END,
  EventData,
  ReadPosition,
  ResolvedEvent,
  SubscribeToAllOptions,
} from '@eventstore/db-client';

/** A $all subscription as the client gives it: read it, cancel it (unsubscribe), free it (destroy); 'confirmation' once the server accepted it. */
export interface AllSubscriptionStream extends AsyncIterable<AllStreamResolvedEvent> {
  unsubscribe(): Promise<unknown>;
  destroy(): void;
  once(event: 'confirmation', listener: () => void): unknown;
}

/**
 * What the adapter uses of EventStoreDBClient (which has it all): so that tests can put a
 * fake server with the same semantics (testing/fake-esdb-server.ts) where no EventStoreDB runs.
 */
export interface EsdbClient {
  appendToStream(streamName: string, events: EventData[], options: { expectedRevision: AppendExpectedRevision }): Promise<AppendResult>;
  readStream(
    streamName: string,
    options: { fromRevision: bigint | typeof END; direction?: Direction; maxCount: number | bigint },
  ): AsyncIterable<ResolvedEvent>;
  readAll(options: { fromPosition: ReadPosition; direction: Direction; maxCount: number; resolveLinkTos: boolean }): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options: SubscribeToAllOptions): AllSubscriptionStream;
  dispose(): Promise<void>;
}
