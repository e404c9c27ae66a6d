import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { placeUsageStart } from '@ses/domain';
import type { DenyReason } from '@ses/events';
import type { StartUsageInput } from '../../graphql/types';
import { SesCommand, type WithPosition } from '../../application/command-envelope';
import { CommandRunner } from '../../application/command-runner';
import { SeatPoolCommands } from '../../application/seat-pool-commands';

type Decision = { sessionId: string; allowed: boolean; denyReason: DenyReason | null; termLicenseUsage: boolean; warnings: string[] };

export class StartUsageCommand extends SesCommand<StartUsageInput, WithPosition<Decision>> {}

/**
 * A user opens a licensed application. Allowed or denied, the start is recorded in the
 * product's seat pool of the user's account (denied starts as UsageDenied). A repeated
 * sessionId is the same session: the recorded decision is returned and nothing is appended.
 */
@CommandHandler(StartUsageCommand)
export class StartUsageHandler implements ICommandHandler<StartUsageCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly pools: SeatPoolCommands,
  ) {}

  execute({ envelope, input }: StartUsageCommand) {
    return this.runner.run(envelope, async (ctx) => {
      const sessionId = input.sessionId ?? ctx.newId('session');
      const place = placeUsageStart(ctx.actor, { productId: input.productId, sessionId });
      const { decision, warnings, position } = await this.pools.startUsage(place, { ...input, sessionId }, ctx);
      const { allowed, denyReason, termLicenseUsage } = decision;
      return { result: { sessionId, allowed, denyReason, termLicenseUsage, warnings }, position };
    });
  }
}
