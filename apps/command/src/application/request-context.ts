import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Principal, TokenVerifier } from '@ses/auth';
import { LIMITS } from '@ses/domain';

/** The GraphQL context of a command request. The token is verified when a resolver first asks. */
export interface RequestContext {
  req: Request;
  correlationId: string;
  principal(): Promise<Principal>;
}

export function requestContextFactory(verifier: TokenVerifier) {
  return ({ req }: { req: Request }): RequestContext => {
    let verified: Promise<Principal> | undefined;
    const header = req.headers['x-correlation-id'];
    const correlationId = typeof header === 'string' && header.length <= LIMITS.correlationId && /^[\w.:-]+$/.test(header) ? header : randomUUID();
    return {
      req,
      correlationId,
      principal: () => (verified ??= verifier.verifyRequest(req)),
    };
  };
}
