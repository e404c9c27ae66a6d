import type { EventStore } from '@ses/event-store';
import { probeStore, type Readiness } from '@ses/platform';
import type { ReadStore } from '@ses/read-store';
import type { ProjectionEngine } from '../projections/projection-engine';

/**
 * GET /health of the query app: ready while both stores answer and the projections
 * deliver. Degraded (503, with the reasons) while a store is unreachable, the event store
 * subscription retries, or the engine restarts after a failed commit or projection; all
 * of these recover by themselves, and so does the answer. Liveness (GET /health/live)
 * does not depend on the stores.
 */
export function queryReadiness(engine: ProjectionEngine, events: EventStore, reads: ReadStore & { generation: string }, probeTimeoutMs = 2000): Readiness {
  return {
    check: async () => {
      const status = engine.status();
      const [eventStore, readStore] = await Promise.all([
        probeStore(() => events.headPosition(), probeTimeoutMs),
        probeStore(() => reads.checkpoint(status.checkpoint), probeTimeoutMs),
      ]);
      const degraded: string[] = [];
      if (!eventStore.reachable) degraded.push('event store unreachable');
      if (!readStore.reachable) degraded.push('read store unreachable');
      if (status.state !== 'running') degraded.push(`projections ${status.state}`);
      if (status.sourceDownSince) degraded.push('projections cannot read the event store (retrying)');
      return {
        ready: degraded.length === 0,
        details: {
          readiness: degraded.length === 0 ? 'ok' : 'degraded',
          ...(degraded.length > 0 && { degraded }),
          projectedPosition: engine.position.toString(),
          readModelGeneration: reads.generation,
          projections: {
            state: status.state,
            role: status.role,
            restarts: status.restarts,
            ...(status.lastError && { lastError: { ...status.lastError, at: status.lastError.at.toISOString() } }),
            ...(status.sourceDownSince && { eventStoreDownSince: status.sourceDownSince.toISOString() }),
            ...(status.retryAt && { retryAt: status.retryAt.toISOString() }),
          },
          eventStore,
          readStore,
          ...(engine.failed ? { error: engine.failed.message } : {}),
        },
      };
    },
  };
}
