import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { eventLoopWatch } from './event-loop';
import { LOGGER } from './logger';

/** What an app reports as ready: it can serve requests (stores reachable, projections started...). */
export interface Readiness {
  check(): Promise<{ ready: boolean; details: Record<string, unknown> }>;
}

export const READINESS = Symbol('READINESS');

/**
 * GET /health: 200 once the app can serve, 503 before (run conventions in the contract README), with the worst recent event-loop delay.
 * A change of readiness after the app was first ready is logged once (degraded at error, ready again at info), not every
 * probe of a load balancer (the apps import TerminusModule with its own logging off).
 */
@Controller('health')
export class HealthController {
  private state?: 'starting' | 'ready' | 'degraded';

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS) private readonly readiness: Readiness,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const session = this.indicators.check('service');
        try {
          const { ready, details } = await this.readiness.check();
          // The worst waits of the last 5-10 s (a stalled app shows here even once it answers again).
          const withLoop = { ...details, eventLoop: eventLoopWatch.report() };
          this.noteReadiness(ready, details);
          return ready ? session.up(withLoop) : session.down(withLoop);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.noteReadiness(false, { message });
          return session.down({ message });
        }
      },
    ]);
  }

  private noteReadiness(ready: boolean, details: Record<string, unknown>): void {
    const state = ready ? 'ready' : this.state === 'ready' || this.state === 'degraded' ? 'degraded' : 'starting';
    if (state === this.state) return;
    if (state === 'ready') this.logger.info(this.state === 'degraded' ? 'readiness: ready again' : 'readiness: ready');
    // Not ready before the first ready answer is a start still under way; after one it is an outage.
    else if (state === 'starting') this.logger.info({ details }, 'readiness: not ready yet, /health answers 503');
    else this.logger.error({ details }, 'readiness: degraded, /health answers 503');
    this.state = state;
  }
}
