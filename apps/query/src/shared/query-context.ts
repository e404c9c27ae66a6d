import type { Request } from 'express';
import { DomainError } from '@ses/domain';
import type { Principal, TokenVerifier } from '@ses/auth';
import type { ReadStore } from '@ses/read-store';
import { resolveViewer, type Viewer } from '../auth/viewer';
import type { ProjectionEngine } from '../projections/projection-engine';

/** The GraphQL context of a query request or subscription: who reads, once the read models are fresh enough. */
export interface QueryContext {
  viewer(): Promise<Viewer>;
  /** The request's `x-ses-min-position` (read models with a consumer of their own, e.g. notifications, wait for it too). */
  minPosition?(): bigint | undefined;
}

export interface QueryContextDeps {
  verifier: TokenVerifier;
  readStore: ReadStore;
  engine: ProjectionEngine;
  minPositionTimeoutMs: number;
}

/** `x-ses-min-position`: answer only once the read models include that position (read-your-writes). */
export function parseMinPosition(header: unknown): bigint | undefined {
  if (header === undefined || header === null || header === '') return undefined;
  if (typeof header !== 'string' || !/^\d{1,30}$/.test(header.trim())) {
    throw new DomainError('BAD_USER_INPUT', 'x-ses-min-position must be a position returned by a mutation', ['x-ses-min-position']);
  }
  return BigInt(header.trim());
}

export function createQueryContext(deps: QueryContextDeps, authorization: string | undefined, minPositionHeader: unknown): QueryContext {
  let viewer: Promise<Viewer> | undefined;
  return {
    viewer: () =>
      (viewer ??= (async () => {
        const principal: Principal = await deps.verifier.verify(authorization);
        const min = parseMinPosition(minPositionHeader);
        if (min !== undefined) await deps.engine.waitFor(min, deps.minPositionTimeoutMs);
        return resolveViewer(principal, deps.readStore);
      })()),
    minPosition: () => parseMinPosition(minPositionHeader),
  };
}

/** graphql-ws passes the connection_init payload: `{ "authorization": "Bearer <JWT>", "x-ses-min-position"?: "<position>" }`. */
export function authorizationFromConnectionParams(params: Record<string, unknown> | undefined | null): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/** One context factory for both transports: Apollo (HTTP) passes `{ req }`, graphql-ws its connection context. */
export function contextFactory(deps: QueryContextDeps) {
  return (input: { req?: Request; connectionParams?: Record<string, unknown> }): QueryContext =>
    input.req
      ? createQueryContext(deps, input.req.headers.authorization, input.req.headers['x-ses-min-position'])
      : createQueryContext(deps, authorizationFromConnectionParams(input.connectionParams), input.connectionParams?.['x-ses-min-position']);
}
