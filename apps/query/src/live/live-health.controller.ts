import { Controller, Get, Query } from '@nestjs/common';
import { LiveEvents, type LiveStats } from './live-events';
import { flushTime, LiveServer } from './live-server';

/**
 * GET /health/live: what the graphql-ws side holds right now (open connections and
 * subscriptions, principals with subscriptions, slow readers closed) and the fan-out
 * counters, and the process's memory. Counts only: nothing about who.
 */
@Controller('health')
export class LiveHealthController {
  constructor(
    private readonly live: LiveEvents,
    private readonly server: LiveServer,
  ) {}

  /**
   * `?gc=1` runs a full garbage collection first when the process was started with
   * `--expose-gc` (the live fan-out benchmark does, to report memory retained, not garbage
   * not yet collected); without that flag it changes nothing.
   */
  @Get('live')
  stats(
    @Query('gc') gc?: string,
  ): LiveStats & { connections: number; slowReadersClosed: number; flushMs: number; memory: { rssBytes: number; heapUsedBytes: number } } {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (gc === '1' && collect) collect();
    const { rss, heapUsed } = process.memoryUsage();
    return {
      connections: this.server.connections,
      slowReadersClosed: this.server.slowReadersClosed,
      ...this.live.stats(),
      flushMs: Math.round(flushTime.ms),
      memory: { rssBytes: rss, heapUsedBytes: heapUsed },
    };
  }
}
