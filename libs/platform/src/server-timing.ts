import type { IncomingMessage, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';

/**
 * `Server-Timing: app;dur=<wall ms>, cpu;dur=<cpu ms>` on every HTTP answer, measured from
 * the first middleware (before the body is read) to the moment headers go out.
 *
 * `cpu` is the process's CPU time (user + system, all threads) over the same interval:
 * unlike wall time it does not grow when other processes take the machine's cores, so
 * tests can check "refused within 100 ms of work" honestly on a loaded machine.
 * Off in production unless SES_SERVER_TIMING=true (it tells clients how long things take).
 */
export function serverTimingMiddleware() {
  return (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const startedAt = process.hrtime.bigint();
    const cpuAtStart = process.cpuUsage();
    onHeaders(res, () => {
      const wallMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const cpu = process.cpuUsage(cpuAtStart);
      res.setHeader('Server-Timing', `app;dur=${wallMs.toFixed(2)}, cpu;dur=${((cpu.user + cpu.system) / 1000).toFixed(2)}`);
    });
    next();
  };
}
