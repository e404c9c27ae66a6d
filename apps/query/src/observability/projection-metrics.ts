import { sesMetrics } from '@ses/platform';
import type { ProjectionEngineObserver } from '../projections/projection-engine';

/**
 * The projection engine observer of the query app (PROJECTION_ENGINE_OBSERVER): a restart
 * after a failed commit or projection is a retry (reason: what failed), reading the log
 * again after the event store came back is a reconnect. Checkpoint and lag are sampled at
 * each scrape (QueryObservability), not counted here.
 */
export const projectionMetrics: ProjectionEngineObserver = {
  restarting: ({ cause }) => sesMetrics.retry('projection-engine', cause),
  sourceRetrying: () => sesMetrics.retry('projection-engine', 'event-store-unavailable'),
  recovered: ({ from }) => {
    if (from === 'event-store') sesMetrics.reconnect('projection-engine');
  },
};
