import type { Envelope } from './command-envelope';
import type { RequestContext } from './request-context';

/** Authenticates the request (UNAUTHENTICATED otherwise) and wraps who/why around a command's input. */
export async function envelopeOf(ctx: RequestContext, input: { commandId?: string | null }): Promise<Envelope> {
  return { principal: await ctx.principal(), commandId: input.commandId, correlationId: ctx.correlationId };
}
