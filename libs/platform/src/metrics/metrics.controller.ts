import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import { SES_CONFIG, type SesConfig } from '../config';
import { metricsRegistry } from './metrics';

/**
 * GET /metrics: every metric of this process in Prometheus text format. Open like /health
 * unless SES_METRICS_TOKEN is set (then `Authorization: Bearer <token>`, as Prometheus'
 * `authorization: { credentials: ... }` sends it); 404 with SES_METRICS=false.
 */
@Controller('metrics')
export class MetricsController {
  private readonly expected?: Buffer;

  constructor(@Inject(SES_CONFIG) private readonly config: SesConfig) {
    this.expected = config.metrics.token ? Buffer.from(`Bearer ${config.metrics.token}`) : undefined;
  }

  @Get()
  async metrics(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!this.config.metrics.enabled) throw new NotFoundException();
    if (this.expected) {
      const given = Buffer.from(authorization ?? '');
      if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new UnauthorizedException('GET /metrics needs Authorization: Bearer <SES_METRICS_TOKEN>');
      }
    }
    const text = await metricsRegistry.metrics();
    res.setHeader('Content-Type', metricsRegistry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(text);
  }
}
