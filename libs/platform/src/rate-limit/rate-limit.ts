import { Inject, Injectable, Module, RequestMethod, type MiddlewareConsumer, type NestMiddleware, type NestModule } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TokenVerifier } from '@ses/auth';
import { SES_CONFIG, type RateLimitSettings, type SesConfig } from '../config';
import { sesMetrics } from '../metrics/metrics';

/** The `extensions.code` of a request refused by the rate limits (HTTP 429 with Retry-After). */
export const RATE_LIMITED = 'RATE_LIMITED';

/** Who a request is counted against: the token's `sub` once the token verifies, else the client's address. */
export interface RateLimitKey {
  kind: 'principal' | 'address';
  key: string;
}

export interface RateLimitRefusal {
  status: 429;
  retryAfterSeconds: number;
  body: { errors: { message: string; extensions: { code: typeof RATE_LIMITED; retryAfterSeconds: number } }[] };
}

/**
 * Per-principal and per-address request limits (rate-limiter-flexible, fixed windows in this
 * process's memory: with several instances each counts its own requests).
 */
export class RateLimits {
  private readonly principals?: RateLimiterMemory;
  private readonly addresses?: RateLimiterMemory;

  constructor(readonly settings: RateLimitSettings) {
    const duration = settings.windowSeconds;
    if (settings.perPrincipal > 0) this.principals = new RateLimiterMemory({ points: settings.perPrincipal, duration });
    if (settings.perAddress > 0) this.addresses = new RateLimiterMemory({ points: settings.perAddress, duration });
  }

  get enabled(): boolean {
    return this.principals !== undefined || this.addresses !== undefined;
  }

  /** Counts one request of `who`; a refusal to answer when it is over its limit, else undefined. */
  async take(who: RateLimitKey): Promise<RateLimitRefusal | undefined> {
    const limiter = who.kind === 'principal' ? this.principals : this.addresses;
    if (!limiter) return undefined;
    try {
      await limiter.consume(who.key);
      return undefined;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      sesMetrics.rateLimited(who.kind);
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      const limit = who.kind === 'principal' ? this.settings.perPrincipal : this.settings.perAddress;
      const per = who.kind === 'principal' ? 'principal (token sub)' : 'client address without a valid token';
      return {
        status: 429,
        retryAfterSeconds,
        body: {
          errors: [
            {
              message: `too many requests: at most ${limit} per ${this.settings.windowSeconds} s per ${per}; retry after ${retryAfterSeconds} s`,
              extensions: { code: RATE_LIMITED, retryAfterSeconds },
            },
          ],
        },
      };
    }
  }
}

/** The address a request came from (the proxy's, behind a reverse proxy: limit there as well). */
function addressOf(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * GraphQL requests to the command API, counted against the token's `sub` when the token
 * verifies (the verification is the one the resolvers then use: TokenVerifier.verifyRequest),
 * else against the client's address. Over the limit: HTTP 429, `Retry-After`, and a GraphQL
 * error body with code RATE_LIMITED; nothing else runs.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  private readonly limits: RateLimits;

  constructor(
    @Inject(SES_CONFIG) config: SesConfig,
    private readonly verifier: TokenVerifier,
  ) {
    this.limits = new RateLimits(config.rateLimit);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (!this.limits.enabled || req.method === 'OPTIONS') return next();
    this.check(req).then((refusal) => {
      if (!refusal) return next();
      res.status(refusal.status).setHeader('Retry-After', String(refusal.retryAfterSeconds)).json(refusal.body);
    }, next);
  }

  private async check(req: Request): Promise<RateLimitRefusal | undefined> {
    let who: RateLimitKey = { kind: 'address', key: addressOf(req) };
    if (req.headers.authorization) {
      try {
        who = { kind: 'principal', key: (await this.verifier.verifyRequest(req)).sub };
      } catch {
        // Not a valid token: counted by address; the resolvers answer UNAUTHENTICATED as before.
      }
    }
    return this.limits.take(who);
  }
}

/** The command app's rate limits on /graphql (README, "Operations"). */
@Module({ providers: [RateLimitMiddleware] })
export class RateLimitModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RateLimitMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.ALL });
  }
}
