import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EVENT_STORE, type EventStore } from '@ses/event-store';
import { SAMPLED_GAUGES, sesMetrics, traceApplied, tracingEnabled } from '@ses/platform';
import { LiveEvents } from '../live/live-events';
import { LiveServer } from '../live/live-server';
import { Deliverer } from '../notifications/deliverer';
import { DELIVERER_CHECKPOINT } from '../notifications/notification-docs';
import { PROJECTION_CHECKPOINT, ProjectionEngine } from '../projections/projection-engine';

/**
 * What the query app shows on /metrics beyond the shared metrics: the projection engine's
 * checkpoint and lag (consumer `read-models`), the webhook deliverer's (consumer `notifications`), open graphql-ws subscriptions, connections and
 * principals; and, when tracing is on, a span per applied event in the trace of the command
 * that appended it. Reads what the engine and the live server already know; changes neither.
 */
@Injectable()
export class QueryObservability implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly stops: (() => unknown)[] = [];

  constructor(
    private readonly engine: ProjectionEngine,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly live: LiveEvents,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    this.stops.push(sesMetrics.trackConsumer(PROJECTION_CHECKPOINT, () => this.engine.position, this.events));
    const deliverer = this.moduleRef.get(Deliverer, { strict: false });
    this.stops.push(sesMetrics.trackConsumer(DELIVERER_CHECKPOINT, () => deliverer.engine.position, this.events));
    this.stops.push(sesMetrics.sample(SAMPLED_GAUGES.liveSubscriptions, () => this.live.stats().subscriptions));
    this.stops.push(sesMetrics.sample(SAMPLED_GAUGES.livePrincipals, () => this.live.stats().principals));
    const server = this.moduleRef.get(LiveServer, { strict: false });
    this.stops.push(sesMetrics.sample(SAMPLED_GAUGES.liveConnections, () => server.connections));
    if (tracingEnabled()) this.stops.push(this.engine.onCommitted((events) => traceApplied(PROJECTION_CHECKPOINT, events)));
  }

  onApplicationShutdown(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}
