import { Controller, Get } from '@nestjs/common';

/**
 * GET /health/live: the process runs and answers HTTP, whatever the stores do (readiness is
 * GET /health). Restart the process on liveness, take it out of rotation on readiness.
 */
@Controller('health')
export class LivenessController {
  @Get('live')
  live(): { status: 'ok'; uptimeSeconds: number; memory: { rssBytes: number; heapUsedBytes: number } } {
    const { rss, heapUsed } = process.memoryUsage();
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()), memory: { rssBytes: rss, heapUsedBytes: heapUsed } };
  }
}
