import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { eventLoopWatch } from './event-loop';
import { serverTimingMiddleware } from './server-timing';

/**
 * On SIGTERM/SIGINT: stop taking requests, let every shutdown hook close its stores
 * (flushing projections, closing subscriptions), then exit 0. A second signal while
 * stopping exits at once.
 */
const SHUTDOWN_GRACE_MS = 10_000;

function stopGracefullyOn(signals: NodeJS.Signals[], app: INestApplication, logger: Logger, name: string): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, `${name} API stopping`);
    // A hook that never returns must not keep a stopped service half alive.
    setTimeout(() => {
      logger.error(`${name} API did not stop within ${SHUTDOWN_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    try {
      await app.close();
      logger.info(`${name} API stopped`);
      process.exit(0);
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, `${name} API did not stop cleanly`);
      process.exit(1);
    }
  };
  for (const signal of signals) process.on(signal, (s) => void stop(s));
}

export interface ListenOptions {
  usingDevelopmentSecret: boolean;
  /** JSON bodies above this are refused with 413 before they are parsed. */
  maxBodyBytes: number;
  serverTiming: boolean;
}

/** Common start-up of both apps: timing header, body limit, graceful shutdown, listen, loud warnings. */
export async function listen(app: NestExpressApplication, port: number, logger: Logger, name: string, options: ListenOptions): Promise<INestApplication> {
  const { usingDevelopmentSecret, maxBodyBytes, serverTiming } = options;
  if (serverTiming) app.use(serverTimingMiddleware());
  app.useBodyParser('json', { limit: maxBodyBytes });
  stopGracefullyOn(['SIGTERM', 'SIGINT'], app, logger, name);
  if (usingDevelopmentSecret) {
    logger.warn('SES_AUTH_SECRET is not set: using the built-in DEVELOPMENT secret. Anyone can mint tokens. Never run like this in production.');
  }
  await app.listen(port, '0.0.0.0');
  // From here on (start-up's module loading and schema building are not what GET /health should report).
  eventLoopWatch.start();
  const address = app.getHttpServer().address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  logger.info({ port: actualPort }, `${name} API listening on :${actualPort}/graphql`);
  return app;
}
