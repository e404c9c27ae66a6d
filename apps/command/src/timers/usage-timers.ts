import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { nextDueAt, type SeatPoolCommand } from '@ses/domain';
import { LOGGER, SES_CONFIG, type SesConfig } from '@ses/platform';
import type { Logger } from 'pino';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { deterministicId } from '../infrastructure/deterministic-id';
import { DUE_TIMERS, type DueTimers, type PoolRef } from '../infrastructure/lookups/lookups';
import { SeatPoolCommands } from '../application/seat-pool-commands';

/** Pools fired per tick at most; more due ones wait for the next tick (earliest due first). */
const POOLS_PER_TICK = 500;

/**
 * The process manager that makes time pass for sessions and check-outs: a session
 * without heartbeat for the TTL becomes UsageTimedOut, a check-out past expiresAt
 * CheckoutExpired. It keeps no state of its own. Every tick asks the command index
 * which pools have something due (an index ordered by due time: last activity of active
 * sessions, expiry of active check-outs), so a tick costs what is due, not the number
 * of pools; each of those pools is then loaded and decides from its own state what is
 * really due (the index only finds candidates). The index is persistent and caught up
 * before each tick, so timers that fell due while the service was down fire right after
 * a restart, also in pools nobody has touched since. Event ids derive from the pool's
 * revision, so two instances racing append once.
 */
@Injectable()
export class UsageTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  private interval?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(SES_CONFIG) private readonly config: SesConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(DUE_TIMERS) private readonly due: DueTimers,
    private readonly pools: SeatPoolCommands,
  ) {}

  onApplicationBootstrap(): void {
    this.interval = setInterval(() => void this.tick(), this.config.timerIntervalMs);
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.interval);
    await this.running;
  }

  /** One pass over the pools with something due; overlapping ticks are skipped. */
  tick(): Promise<void> {
    this.running ??= this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(): Promise<void> {
    let pools: PoolRef[];
    try {
      pools = await this.due.duePools(this.clock.now().getTime(), this.config.sessionTtlSeconds, POOLS_PER_TICK);
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'usage timers tick failed');
      return;
    }
    // One pool that cannot be decided now (e.g. its newest event does not decode) must not hold up the others.
    for (const pool of pools) {
      try {
        await this.fireDue(pool);
      } catch (error) {
        this.logger.error({ ...pool, err: error instanceof Error ? error.message : String(error) }, 'usage timers: a due pool failed');
      }
    }
  }

  private async fireDue(pool: PoolRef): Promise<void> {
    const now = this.clock.now();
    const { state, revision } = await this.pools.load(pool);
    const due = nextDueAt(state, this.config.sessionTtlSeconds);
    if (!due || Date.parse(due) > now.getTime()) return;
    const iso = now.toISOString();
    const commands: SeatPoolCommand[] = [
      { type: 'TimeOutSessions', now: iso, ttlSeconds: this.config.sessionTtlSeconds },
      { type: 'ExpireCheckouts', now: iso },
    ];
    for (const command of commands) {
      const commandId = deterministicId('timer', this.pools.stream(pool), command.type, revision.toString());
      await this.pools.handle(pool, command, {
        actorSub: 'system',
        commandId,
        correlationId: commandId,
        causationId: commandId,
        now: iso,
        seed: commandId,
      });
    }
  }
}
