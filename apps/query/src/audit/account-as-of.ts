import { Inject, Injectable } from '@nestjs/common';
import { evolveAccount, evolveSeatPool, initialAccountState, initialSeatPoolState, seatsInUse, type AccountState } from '@ses/domain';
import { streams, type DomainEvent } from '@ses/events';
import { EVENT_STORE, type EventStore } from '@ses/event-store';
import type { Account } from '../graphql/types';
import { toSnapshotAccount } from './snapshot-mapper';
import { eventTime, forEachInStream } from './stream-reader';

export interface AsOfOptions {
  /** Also replay the seat pools of the account's products up to `at` for Entitlement.seatsInUse (else 0). */
  withSeatsInUse?: boolean;
}

/**
 * Rebuilds an account as it stood at `at` from its own streams in the event store:
 * the account stream's prefix of events that happened at or before `at` (occurredAt,
 * else recordedAt), as the event store decodes them, folded with evolveAccount. Reading stops at the first
 * later event, so cost grows with the account's events up to `at`, never with the log.
 * A stream's events are in decision order, so a prefix is a state the account really had.
 */
@Injectable()
export class AccountAsOf {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async stateAt(accountId: string, at: string): Promise<AccountState> {
    let state = initialAccountState();
    await this.fold(streams.account(accountId), at, (event) => {
      state = evolveAccount(state, event);
    });
    return state;
  }

  /** The account at `at` with its entitlements (status at `at`), users and roles, groups and members, alert rules; null before it was opened. */
  async accountAt(accountId: string, at: string, options: AsOfOptions = {}): Promise<Account | null> {
    const state = await this.stateAt(accountId, at);
    if (!state.exists) return null;
    const seats = new Map<string, number>();
    if (options.withSeatsInUse) {
      for (const productId of new Set(Object.values(state.entitlements).map((e) => e.productId))) {
        seats.set(productId, await this.seatsInUseAt(accountId, productId, at));
      }
    }
    return toSnapshotAccount(state, at, (productId) => seats.get(productId) ?? 0);
  }

  /** Distinct users holding a seat of the product at `at` (sessions not yet ended, unexpired check-outs), from its seat-pool stream. */
  async seatsInUseAt(accountId: string, productId: string, at: string): Promise<number> {
    const state = initialSeatPoolState();
    await this.fold(streams.seatPool(accountId, productId), at, (event) => {
      evolveSeatPool(state, event);
    });
    return seatsInUse(state, at);
  }

  private async fold(streamId: string, at: string, apply: (event: DomainEvent) => void): Promise<void> {
    const until = Date.parse(at);
    await forEachInStream(
      (fromRevision, maxCount) => this.events.readStream(streamId, { fromRevision, maxCount }),
      (page) => {
        for (const event of page) {
          if (eventTime(event) > until) return false;
          apply(event);
        }
        return true;
      },
    );
  }
}
