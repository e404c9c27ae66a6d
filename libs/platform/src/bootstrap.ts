import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { MAX_BODY_BYTES } from './graphql-hardening';

/** Common start-up of both apps: body limit, graceful shutdown, listen, loud warnings. */
export async function listen(app: NestExpressApplication, port: number, logger: Logger, name: string, usingDevelopmentSecret: boolean): Promise<INestApplication> {
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  if (usingDevelopmentSecret) {
    logger.warn('SES_AUTH_SECRET is not set: using the built-in DEVELOPMENT secret. Anyone can mint tokens. Never run like this in production.');
  }
  await app.listen(port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  logger.info({ port: actualPort }, `${name} API listening on :${actualPort}/graphql`);
  return app;
}
