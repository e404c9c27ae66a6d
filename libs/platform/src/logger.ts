import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Tokens and emails must never reach info level: request
 * headers are not logged at all, and `redact` masks the usual suspects in case
 * an object carrying them is logged by mistake.
 */
export function createLogger(app: string, level: string): Logger {
  return pino({
    level,
    base: { app },
    redact: { paths: ['authorization', '*.authorization', 'email', '*.email', 'token', '*.token', 'headers'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** Lets Nest log through pino (a few lines; nestjs-pino would also bring pino-http, which we do not want: it logs headers). */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

export const LOGGER = Symbol('LOGGER');
