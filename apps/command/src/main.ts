import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, createLogger, listen, LOGGER, PinoNestLogger, SES_CONFIG, loadConfig, type SesConfig } from '@ses/platform';
import type { Logger } from 'pino';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  try {
    loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      createLogger('command', 'error').fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  const config = app.get<SesConfig>(SES_CONFIG);
  await listen(app, config.commandPort, logger, 'command', config.auth.usingDevelopmentSecret);
}

void bootstrap();
