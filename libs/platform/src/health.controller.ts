import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { eventLoopWatch } from './event-loop';

/** What an app reports as ready: it can serve requests (stores reachable, projections started...). */
export interface Readiness {
  check(): Promise<{ ready: boolean; details: Record<string, unknown> }>;
}

export const READINESS = Symbol('READINESS');

/** GET /health: 200 once the app can serve, 503 before (run conventions in the contract README), with the worst recent event-loop delay. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS) private readonly readiness: Readiness,
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
          return ready ? session.up(withLoop) : session.down(withLoop);
        } catch (error) {
          return session.down({ message: error instanceof Error ? error.message : String(error) });
        }
      },
    ]);
  }
}
