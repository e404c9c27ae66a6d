import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Actor } from '@ses/domain';
import { DomainError } from '@ses/domain';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { commandSeed, deterministicId } from '../infrastructure/deterministic-id';
import type { CommandContext } from '../infrastructure/aggregate-store';
import { Directory } from '../infrastructure/directory';
import { KeyedMutex } from '../infrastructure/keyed-mutex';
import { ActorResolver } from './actor-resolver';
import type { Envelope } from './command-envelope';

export interface RunContext extends CommandContext {
  actor: Actor;
  /** A deterministic id for something this command creates (same on a retry with the same commandId). */
  newId(purpose: string): string;
  /** Metadata for the command's final append: lets a retry with the same commandId find the result. */
  completion(result: Record<string, unknown>): Record<string, unknown>;
}

export interface RunOutcome<R> {
  result: R;
  position: bigint;
}

const MAX_COMMAND_ID_LENGTH = 100;

/**
 * The common shell of every command handler: idempotency by commandId, the actor
 * behind the token, the clock, and the metadata the events will carry.
 */
@Injectable()
export class CommandRunner {
  private readonly sameCommand = new KeyedMutex();

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: Directory,
    private readonly actors: ActorResolver,
  ) {}

  async run<R extends Record<string, unknown>>(envelope: Envelope, work: (ctx: RunContext) => Promise<RunOutcome<R>>): Promise<R & { position: string }> {
    if (envelope.commandId != null && (envelope.commandId.length === 0 || envelope.commandId.length > MAX_COMMAND_ID_LENGTH)) {
      throw new DomainError('BAD_USER_INPUT', `commandId must have 1..${MAX_COMMAND_ID_LENGTH} characters`, ['commandId']);
    }
    const { commandId, seed, clientSupplied } = commandSeed(envelope.principal.sub, envelope.commandId);
    const idempotencyKey = createHash('sha256').update(seed).digest('hex');
    // Two deliveries of one commandId at once: the second waits, then finds the first's result.
    return this.sameCommand.run(idempotencyKey, async () => {
      if (clientSupplied) {
        const previous = await this.directory.commandResult(idempotencyKey);
        if (previous) return { ...(previous.result as R), position: previous.position.toString() };
      }
      const ctx: RunContext = {
        actor: await this.actors.resolve(envelope.principal),
        actorSub: envelope.principal.sub,
        commandId,
        correlationId: envelope.correlationId,
        causationId: commandId,
        now: this.clock.now().toISOString(),
        seed,
        newId: (purpose) => deterministicId(seed, 'id', purpose),
        completion: (result) => (clientSupplied ? { idempotencyKey, commandResult: result } : {}),
      };
      const { result, position } = await work(ctx);
      return { ...result, position: position.toString() };
    });
  }
}
