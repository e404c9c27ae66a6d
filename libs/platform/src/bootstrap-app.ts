import 'reflect-metadata';
import { NestFactory, type IEntryNestModule } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { listen } from './bootstrap';
import { ConfigError, loadConfig, SES_CONFIG, type SesConfig } from './config';
import { ExpectedRefusalFilter } from './expected-refusals.filter';
import { createLogger, LOGGER, PinoNestLogger } from './logger';
import { startMetrics } from './metrics/metrics';
import { StoreUnavailableFilter } from './store-unavailable';
import { startTracing } from './tracing/tracing';

/** main() of both apps: refuse bad configuration with one clear line, then start and listen. */
export async function bootstrapApp(name: 'command' | 'query', module: IEntryNestModule, portOf: (config: SesConfig) => number): Promise<void> {
  try {
    loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      createLogger(name, 'error').fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Before anything is created: process metrics from the start, and (with OTEL_EXPORTER_OTLP_ENDPOINT) the tracer every span uses.
  startMetrics(name);
  const tracing = await startTracing(name);
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  // Expected refusals (DomainError) are logged at info and an unreachable store at warn, not by Nest at error
  // (before init: resolvers pick global filters up then).
  app.useGlobalFilters(new ExpectedRefusalFilter(logger), new StoreUnavailableFilter(logger));
  const config = app.get<SesConfig>(SES_CONFIG);
  if (tracing) logger.info('OpenTelemetry traces on: spans go to the OTLP endpoint');
  await listen(app, portOf(config), logger, name, {
    usingDevelopmentSecret: config.auth.usingDevelopmentSecret,
    maxBodyBytes: config.maxBodyBytes[name],
    serverTiming: config.serverTiming,
  });
}
