import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import compression from 'compression';
import { DEFAULT_PORTAL_DIR } from './portal-files';
import { PORTAL_DIR, PortalController } from './portal.controller';

/** The Analytics Portal's static files (gzip-compressed on the way out) and runtime configuration, served by the query app. */
@Module({
  controllers: [PortalController],
  providers: [{ provide: PORTAL_DIR, useValue: DEFAULT_PORTAL_DIR }],
})
export class PortalModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(compression()).forRoutes(PortalController);
  }
}
