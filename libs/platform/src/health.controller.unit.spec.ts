import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import pino from 'pino';
import { HealthController, READINESS } from './health.controller';
import { LOGGER } from './logger';

/** The controller as the apps wire it (Terminus with its own logging off), over a readiness that answers what the test sets. */
async function controllerWith(readiness: { ready: boolean }) {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  @Module({
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [
      { provide: READINESS, useValue: { check: async () => ({ ready: readiness.ready, details: {} }) } },
      { provide: LOGGER, useValue: logger },
    ],
  })
  class HealthTestModule {}
  const module = await NestFactory.createApplicationContext(HealthTestModule, { logger: false });
  const controller = module.get(HealthController);
  /** Terminus answers a failed check by throwing (the 503); the test wants the log. */
  const check = () => controller.check().catch(() => undefined);
  return { module, check, logged: () => lines.map((line) => [line.level, line.msg]) };
}

describe('HealthController', () => {
  it('logs each change of readiness once: a start under way at info, an outage at error, the recovery at info', async () => {
    const readiness = { ready: false };
    const { module, check, logged } = await controllerWith(readiness);
    await check();
    await check();
    readiness.ready = true;
    await check();
    await check();
    readiness.ready = false;
    await check();
    await check();
    readiness.ready = true;
    await check();
    await module.close();
    expect(logged()).toEqual([
      [30, 'readiness: not ready yet, /health answers 503'],
      [30, 'readiness: ready'],
      [50, 'readiness: degraded, /health answers 503'],
      [30, 'readiness: ready again'],
    ]);
  });
});
