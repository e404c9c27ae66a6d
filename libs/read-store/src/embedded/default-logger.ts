import pino from 'pino';
import type { ReadStoreLogger } from './sqlite-document-file';

let logger: ReadStoreLogger | undefined;

/**
 * Where the store logs when its creator passes no logger: JSON lines on stdout like
 * the apps' own logs, at SES_LOG_LEVEL (the apps' default: info, warn under tests).
 */
export function defaultReadStoreLogger(): ReadStoreLogger {
  logger ??= pino({
    level: process.env.SES_LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    base: { app: 'read-store' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return logger;
}
