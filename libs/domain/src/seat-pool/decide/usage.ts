import type { DenyReason, EventOf } from '@ses/events';
import { DomainError, forbidden, notFound } from '../../shared/domain-error';
import { LIMITS, Validator, isBoundedText, isIntInRange } from '../../shared/validation';
import { raiseAlerts } from '../alerts';
import type { EndUsage, HeartbeatUsage, StartUsage, TimeOutSessions } from '../seat-pool.commands';
import type { SeatPoolEvent } from '../seat-pool.events';
import { seatsInUse, seatsInUseWith, seatsInUseWithout, sessionDueAt } from '../seat-pool.queries';
import type { ActiveSession, SeatPoolState } from '../seat-pool.state';
import { isBefore } from '../time';

/**
 * A repeated sessionId emits nothing: the shell answers with sessionDecision(state, sessionId)
 * (and checks with sessionOwner that the repeat comes from the same user).
 */
export function startUsage(command: StartUsage, state: SeatPoolState): SeatPoolEvent[] {
  if (state.sessions.has(command.sessionId)) return [];
  new Validator()
    .check(isBoundedText(command.machineId, LIMITS.machineId), 'machineId', `1..${LIMITS.machineId} characters`)
    .check(
      command.productVersion == null || isBoundedText(command.productVersion, LIMITS.productVersion),
      'productVersion',
      `1..${LIMITS.productVersion} characters`,
    )
    .throwIfInvalid();

  const { context, sessionId, userId, machineId, now } = command;
  const ids = { accountId: context.accountId, sessionId, userId, productId: context.productId, machineId };
  const denyReason = denyReasonFor(command, state);
  if (denyReason) return [{ type: 'UsageDenied', data: { ...ids, denyReason, deniedAt: now } }];

  const seats = { before: seatsInUse(state, now), after: seatsInUseWith(state, userId, now) };
  const started: EventOf<'UsageStarted'> = {
    type: 'UsageStarted',
    data: {
      ...ids,
      productVersion: command.productVersion ?? null,
      termLicenseUsage: seats.after > context.seatsOwned,
      country: command.country,
      startedAt: now,
    },
  };
  return [started, ...raiseAlerts(state, context, seats, now)];
}

function denyReasonFor({ context, userId, now }: StartUsage, state: SeatPoolState): DenyReason | null {
  if (!context.eligibility.allowed) return context.eligibility.denyReason;
  const others = seatsInUseWithout(state, userId, now);
  const blocked = context.alertRules.some((rule) => rule.action === 'DENY' && others >= rule.thresholdSeats);
  return blocked ? 'THRESHOLD_REACHED' : null;
}

export function heartbeatUsage(command: HeartbeatUsage, state: SeatPoolState): SeatPoolEvent[] {
  const session = activeSession(state, command.sessionId, command.userId);
  return [{ type: 'UsageHeartbeat', data: { ...sessionIds(state, session), at: command.now } }];
}

export function endUsage(command: EndUsage, state: SeatPoolState): SeatPoolEvent[] {
  const session = activeSession(state, command.sessionId, command.userId);
  return [{ type: 'UsageEnded', data: { ...sessionIds(state, session), endedAt: command.now } }];
}

export function timeOutSessions(command: TimeOutSessions, state: SeatPoolState): SeatPoolEvent[] {
  new Validator().check(isIntInRange(command.ttlSeconds, 1, 365 * 24 * 3600), 'ttlSeconds', 'a positive number of seconds').throwIfInvalid();
  const events: SeatPoolEvent[] = [];
  for (const session of state.activeSessions.values()) {
    if (isBefore(command.now, sessionDueAt(session.lastHeartbeatAt, session.startedAt, command.ttlSeconds))) continue;
    events.push({
      type: 'UsageTimedOut',
      data: { ...sessionIds(state, session), lastHeartbeatAt: session.lastHeartbeatAt ?? session.startedAt, timedOutAt: command.now },
    });
  }
  return events;
}

function activeSession(state: SeatPoolState, sessionId: string, userId: string | undefined): ActiveSession {
  const record = state.sessions.get(sessionId);
  if (!record) throw notFound(`session ${sessionId}`);
  if (userId !== undefined && record.userId !== userId) throw forbidden(`session ${sessionId} belongs to another user`);
  const session = state.activeSessions.get(sessionId);
  if (!session) throw new DomainError('SESSION_NOT_ACTIVE', `session ${sessionId} is not active (${record.status})`);
  return session;
}

function sessionIds(state: SeatPoolState, session: ActiveSession) {
  // A session exists only after a pool event, which set accountId and productId.
  return { accountId: state.accountId!, sessionId: session.sessionId, userId: session.userId, productId: state.productId! };
}
