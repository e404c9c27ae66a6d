import { Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import cors from 'cors';
import { SES_CONFIG, type SesConfig } from '@ses/platform';

/**
 * CORS for the Analytics Portal (contract extensions README, "portal"): the command API
 * answers cross-origin requests from SES_PORTAL_ORIGIN only (default: the query app's own
 * origin, which serves the portal). Any other origin gets no Access-Control-Allow-Origin,
 * so browsers refuse it the answer. Bearer tokens, not cookies: no credentials.
 */
export function portalCors(origin: string) {
  return cors({
    origin: [origin],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type'],
    credentials: false,
    maxAge: 600,
  });
}

@Module({})
export class PortalCorsModule implements NestModule {
  constructor(@Inject(SES_CONFIG) private readonly config: SesConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(portalCors(this.config.portal.origin)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
