import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';

const WINDOW_MS = 5000;
const TICK_MS = 20;

/**
 * How responsive this process has been over the last 5 to 10 seconds, as GET /health reports it:
 *
 * - `delayMaxMs`: the worst event-loop delay (perf_hooks): how long a request arriving at the
 *   worst moment waited before the app could look at it. On a machine shared by many
 *   processes this includes the time the process was not scheduled at all.
 * - `blockedMaxMs`: the worst delay the process caused itself: for each 20 ms tick, the
 *   lateness of the tick or the time the event loop spent running code meanwhile (not
 *   waiting for I/O: event-loop utilization, cheap to read), whichever is smaller.
 *   A request that keeps the loop busy for a second shows as a second; a second during
 *   which the machine ran other processes shows as next to nothing. This is what tests
 *   judge ("no request stalls the app"), so that they do not fail because the machine is busy.
 */
class EventLoopWatch {
  private histogram?: IntervalHistogram;
  private previous = { delayMaxMs: 0, blockedMaxMs: 0 };
  private blockedMaxMs = 0;

  report(): { delayMaxMs: number; blockedMaxMs: number } {
    this.start();
    const delay = this.histogram!.count > 0 ? this.histogram!.max / 1e6 : 0;
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return { delayMaxMs: round(Math.max(this.previous.delayMaxMs, delay)), blockedMaxMs: round(Math.max(this.previous.blockedMaxMs, this.blockedMaxMs)) };
  }

  start(): void {
    if (this.histogram) return;
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    let lastAt = performance.now();
    let lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
    setInterval(() => {
      const now = performance.now();
      const utilization = performance.eventLoopUtilization();
      const activeMs = performance.eventLoopUtilization(utilization, lastUtilization).active;
      this.blockedMaxMs = Math.max(this.blockedMaxMs, Math.min(now - lastAt - TICK_MS, activeMs));
      lastAt = now;
      lastUtilization = utilization;
    }, TICK_MS).unref();
    setInterval(() => {
      this.previous = { delayMaxMs: this.histogram!.count > 0 ? this.histogram!.max / 1e6 : 0, blockedMaxMs: this.blockedMaxMs };
      this.histogram!.reset();
      this.blockedMaxMs = 0;
    }, WINDOW_MS).unref();
  }
}

export const eventLoopWatch = new EventLoopWatch();
