import { Module } from '@nestjs/common';
import { DEFAULT_PORTAL_DIR } from './portal-files';
import { PORTAL_DIR, PortalController } from './portal.controller';

/** The Analytics Portal's static files and runtime configuration, served by the query app. */
@Module({
  controllers: [PortalController],
  providers: [{ provide: PORTAL_DIR, useValue: DEFAULT_PORTAL_DIR }],
})
export class PortalModule {}
