import type { DomainEvent } from '@ses/events';
import { rearmAlerts } from './alerts';
import { checkoutAdded, checkoutRemoved } from './checkout-expiry';
import { isSeatPoolEvent } from './seat-pool.events';
import type { Holding, SeatPoolState } from './seat-pool.state';

/**
 * Applies one event to the state IN PLACE and returns it: a fold accumulator, so each event
 * costs O(active) at most, never O(history). Callers fold appended events only and keep no
 * "before" reference to a state they evolve; decideSeatPool() never mutates.
 * Events of other streams leave the state as it is.
 */
export function evolveSeatPool(state: SeatPoolState, event: DomainEvent): SeatPoolState {
  if (!isSeatPoolEvent(event)) return state;
  state.accountId ??= event.data.accountId;
  state.productId ??= event.data.productId;
  switch (event.type) {
    case 'UsageStarted': {
      const d = event.data;
      state.activeSessions.set(d.sessionId, {
        sessionId: d.sessionId,
        userId: d.userId,
        machineId: d.machineId,
        country: d.country,
        startedAt: d.startedAt,
        lastHeartbeatAt: null,
        termLicenseUsage: d.termLicenseUsage,
      });
      holding(state, d.userId).sessionIds.add(d.sessionId);
      return state;
    }
    case 'UsageDenied':
      // A denied session never holds a seat: nothing to keep (the index records the decision).
      return state;
    case 'UsageHeartbeat': {
      const session = state.activeSessions.get(event.data.sessionId);
      if (session) session.lastHeartbeatAt = event.data.at;
      return state;
    }
    case 'UsageEnded':
      return closeSession(state, event.data.sessionId, event.data.endedAt);
    case 'UsageTimedOut':
      return closeSession(state, event.data.sessionId, event.data.timedOutAt);
    case 'LicenseCheckedOut': {
      const d = event.data;
      state.activeCheckouts.set(d.checkoutId, {
        checkoutId: d.checkoutId,
        userId: d.userId,
        machineId: d.machineId,
        checkedOutAt: d.checkedOutAt,
        expiresAt: d.expiresAt,
      });
      checkoutAdded(state, d.expiresAt);
      holding(state, d.userId).checkoutIds.add(d.checkoutId);
      return state;
    }
    case 'LicenseCheckedIn':
      return closeCheckout(state, event.data.checkoutId, event.data.checkedInAt);
    case 'CheckoutExpired':
      return closeCheckout(state, event.data.checkoutId, event.data.expiredAt);
    case 'AlertRaised': {
      const d = event.data;
      const raised = (state.alerts.get(d.ruleId)?.raised ?? 0) + 1;
      state.alerts.set(d.ruleId, { raised, armed: false, thresholdSeats: d.thresholdSeats });
      return state;
    }
  }
}

function holding(state: SeatPoolState, userId: string): Holding {
  let h = state.holders.get(userId);
  if (!h) state.holders.set(userId, (h = { sessionIds: new Set(), checkoutIds: new Set() }));
  return h;
}

function release(state: SeatPoolState, userId: string, remove: (h: Holding) => void): void {
  const h = state.holders.get(userId);
  if (!h) return;
  remove(h);
  if (h.sessionIds.size === 0 && h.checkoutIds.size === 0) state.holders.delete(userId);
}

function closeSession(state: SeatPoolState, sessionId: string, at: string): SeatPoolState {
  const session = state.activeSessions.get(sessionId);
  if (!session) return state;
  state.activeSessions.delete(sessionId);
  release(state, session.userId, (h) => h.sessionIds.delete(sessionId));
  rearmAlerts(state, at);
  return state;
}

function closeCheckout(state: SeatPoolState, checkoutId: string, at: string): SeatPoolState {
  const checkout = state.activeCheckouts.get(checkoutId);
  if (!checkout) return state;
  state.activeCheckouts.delete(checkoutId);
  checkoutRemoved(state, checkout.expiresAt);
  release(state, checkout.userId, (h) => h.checkoutIds.delete(checkoutId));
  rearmAlerts(state, at);
  return state;
}
