import { Module, type MiddlewareConsumer, type NestModule, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsController } from './metrics/metrics.controller';
import { flushTracing, traceHttpRequest } from './tracing/tracing';

/**
 * GET /metrics, and a span per GraphQL request when tracing is on (README, "Operations").
 * Both apps import it; the GraphQL side (latency by operation and outcome) is the Apollo plugin
 * in sharedGraphqlOptions.
 */
@Module({ controllers: [MetricsController] })
export class ObservabilityModule implements NestModule, OnApplicationShutdown {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(traceHttpRequest).forRoutes('graphql');
  }

  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}
