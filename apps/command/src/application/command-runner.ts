import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DomainError, LIMITS, type AccountState, type Actor } from '@ses/domain';
import type { CommandContext } from '../infrastructure/aggregate-store';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { commandSeed, deterministicId } from '../infrastructure/deterministic-id';
import { KeyedMutex } from '../infrastructure/keyed-mutex';
import { COMMAND_RESULTS, type CommandResults } from '../infrastructure/lookups/lookups';
import { ActorResolver } from './actor-resolver';
import type { Envelope } from './command-envelope';

export interface RunContext extends CommandContext {
  actor: Actor;
  /** The user actor's account as loaded to resolve them, moments before (AccountCommands.loadForCommand reuses it). */
  actorAccount?: AccountState;
  /** A deterministic id for something this command creates (same on a retry with the same commandId). */
  newId(purpose: string): string;
  /** Metadata for the command's final append: lets a repeat of the same commandId find the result. */
  recordResult(result: Record<string, unknown>): Record<string, unknown>;
}

/** What a command answers: its result (recorded with its events) and the position of its last event. */
export interface Outcome<R> {
  result: R;
  position: bigint;
}

/**
 * The common shell of every command handler: idempotency by commandId, the actor
 * behind the token, the clock, and the metadata the events will carry. A repeat of a
 * commandId answers the first result and appends nothing.
 */
@Injectable()
export class CommandRunner {
  private readonly sameCommand = new KeyedMutex();

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMMAND_RESULTS) private readonly results: CommandResults,
    private readonly actors: ActorResolver,
  ) {}

  /** Runs `work` once per commandId; the answer is its result and position. */
  run<R extends Record<string, unknown>>(envelope: Envelope, work: (ctx: RunContext) => Promise<Outcome<R>>): Promise<R & { position: string }> {
    return this.runThenPresent(envelope, work, (result) => result);
  }

  /**
   * Runs `work` once per commandId. `present` turns the result (fresh, or recorded by the
   * first delivery) into the answer: what is derived after the append (a license signed
   * from the check-out) is derived again for a repeat.
   */
  async runThenPresent<R extends Record<string, unknown>, P extends Record<string, unknown>>(
    envelope: Envelope,
    work: (ctx: RunContext) => Promise<Outcome<R>>,
    present: (result: R) => P | Promise<P>,
  ): Promise<P & { position: string }> {
    const given = envelope.commandId;
    if (given != null && (given.length === 0 || given.length > LIMITS.commandId)) {
      throw new DomainError('BAD_USER_INPUT', `commandId must have 1..${LIMITS.commandId} characters`, ['commandId']);
    }
    const { commandId, seed, clientSupplied } = commandSeed(envelope.principal.sub, envelope.commandId);
    const idempotencyKey = createHash('sha256').update(seed).digest('hex');
    // Recorded by this very command type's first delivery: the same R, as JSON.
    const recordedOutcome = async (): Promise<Outcome<R> | undefined> => {
      const previous = await this.results.find(idempotencyKey);
      return previous && { result: previous.result as R, position: previous.position };
    };
    // Two deliveries of one commandId at once: in this process the second waits, then finds the first's result.
    const { result, position } = await this.sameCommand.run(idempotencyKey, async (): Promise<Outcome<R>> => {
      if (clientSupplied) {
        const previous = await recordedOutcome();
        if (previous) return previous;
      }
      // Two deliveries in two instances both get here. The events' ids derive from the commandId, so only the
      // first delivery's events are stored; the other sees its appends answered as alreadyStored (or, deciding
      // after the first's events, fails or decides nothing). Either way it answers the first's recorded result.
      let appendedOwn = false;
      let foundStored = false;
      try {
        const { actor, account, freshSince } = await this.actors.resolveWithAccount(envelope.principal);
        const outcome = await work({
          actor,
          actorAccount: account,
          actorSub: envelope.principal.sub,
          commandId,
          correlationId: envelope.correlationId,
          causationId: commandId,
          now: this.clock.now().toISOString(),
          seed,
          freshSince,
          newId: (purpose) => deterministicId(seed, 'id', purpose),
          recordResult: (recorded) => (clientSupplied ? { idempotencyKey, commandResult: recorded } : {}),
          onAppend: ({ alreadyStored }) => (alreadyStored ? (foundStored = true) : (appendedOwn = true)),
        });
        if (clientSupplied && (foundStored || !appendedOwn)) return (await recordedOutcome()) ?? outcome;
        return outcome;
      } catch (error) {
        if (clientSupplied) {
          const previous = await recordedOutcome().catch(() => undefined);
          if (previous) return previous;
        }
        throw error;
      }
    });
    return { ...(await present(result)), position: position.toString() };
  }
}
