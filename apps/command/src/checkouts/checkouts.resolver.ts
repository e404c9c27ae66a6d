import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { BulkCheckOutInput, BulkCheckoutPayload, CheckInInput, CheckInPayload, CheckOutInput, CheckoutPayload } from '../graphql/types';
import { envelopeOf } from '../application/envelope-of';
import type { RequestContext } from '../application/request-context';
import { CheckInCommand } from './check-in/check-in.handler';
import { BulkCheckOutCommand, CheckOutCommand } from './check-out/check-out.handler';

@Resolver()
export class CheckoutsResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation()
  async checkOut(@Args('input') input: CheckOutInput, @Context() ctx: RequestContext): Promise<CheckoutPayload> {
    return this.commands.execute(new CheckOutCommand(await envelopeOf(ctx, input), input));
  }

  @Mutation()
  async bulkCheckOut(@Args('input') input: BulkCheckOutInput, @Context() ctx: RequestContext): Promise<BulkCheckoutPayload> {
    const result = await this.commands.execute(new BulkCheckOutCommand(await envelopeOf(ctx, input), input));
    // Every check-out of the bulk was appended at once: they share the bulk's position.
    return { ...result, checkouts: result.checkouts.map((checkout) => ({ ...checkout, position: result.position })) };
  }

  @Mutation()
  async checkIn(@Args('input') input: CheckInInput, @Context() ctx: RequestContext): Promise<CheckInPayload> {
    return this.commands.execute(new CheckInCommand(await envelopeOf(ctx, input), input));
  }
}
