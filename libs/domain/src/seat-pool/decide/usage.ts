import type { EventOf } from '@ses/events';
import { authorize, authorizeFor } from '../../authorization/authorization';
import type { Actor } from '../../shared/actor';
import { DomainError, forbidden, notFound } from '../../shared/domain-error';
import { LIMITS, Validator, isBoundedText, isInRange } from '../../shared/validation';
import { raiseAlerts } from '../alerts';
import type { EndUsage, HeartbeatUsage, StartUsage, TimeOutSessions } from '../seat-pool.commands';
import type { SeatPoolEvent } from '../seat-pool.events';
import { seatsInUse, seatsInUseWith, seatsInUseWithout, sessionDecision, sessionDueAt, sessionOwner, type SessionDecision } from '../seat-pool.queries';
import type { ActiveSession, SeatPoolState, SessionRecord } from '../seat-pool.state';
import { isBefore } from '../time';
import { isTermLicenseUsage, usageDenyReason, usageWarnings } from '../usage-rules';

/** Where a usage start is decided: the seat pool of the user's account and the product, or nowhere. */
export type UsageStartPlace =
  | { kind: 'pool'; accountId: string; productId: string; userId: string }
  /** No account to record the start in: the decision is the whole answer. */
  | { kind: 'unrecorded'; decision: SessionDecision };

/** productId and sessionId name the pool and the session: checked before either is looked up. */
function checkStartIds(input: { productId: string; sessionId: string }): void {
  const problems = [
    ...(isBoundedText(input.productId, LIMITS.productId) ? [] : ['productId']),
    ...(isBoundedText(input.sessionId, LIMITS.sessionId) ? [] : ['sessionId']),
  ];
  if (problems.length > 0) throw new DomainError('BAD_USER_INPUT', `invalid ${problems.join(', ')}`, problems);
}

/**
 * Who may start a session, and where it is decided. Usage sessions are started by
 * users: the operator is FORBIDDEN. A principal without registration has no account to
 * record in: the answer is NOT_REGISTERED and nothing is recorded. A user's start is
 * decided by their own account's seat pool of the product, so a session id can only
 * ever meet the sessions of the caller's account.
 */
export function placeUsageStart(actor: Actor, input: { productId: string; sessionId: string }): UsageStartPlace {
  checkStartIds(input);
  if (actor.kind === 'operator') throw forbidden('usage sessions are started by users');
  if (actor.kind === 'unregistered') {
    const decision: SessionDecision = {
      sessionId: input.sessionId,
      userId: '',
      allowed: false,
      denyReason: 'NOT_REGISTERED',
      termLicenseUsage: false,
      status: 'DENIED',
    };
    return { kind: 'unrecorded', decision };
  }
  return { kind: 'pool', accountId: actor.accountId, productId: input.productId, userId: actor.userId };
}

/**
 * A repeated sessionId of the same user emits nothing (usageStartAnswer gives the
 * recorded decision back); another user's, or one of another product of the account,
 * is BAD_USER_INPUT.
 */
export function decideStartUsage(command: StartUsage, state: SeatPoolState): SeatPoolEvent[] {
  const { context, sessionId, userId, machineId, now } = command;
  checkStartIds({ productId: context.productId, sessionId });
  const owner = sessionOwner(state, sessionId, command.recorded);
  if (command.sessionIdTakenInAccount || (owner !== null && owner !== userId)) {
    throw new DomainError('BAD_USER_INPUT', 'this sessionId belongs to another session', ['sessionId']);
  }
  if (owner !== null) return [];
  new Validator()
    .check(isBoundedText(machineId, LIMITS.machineId), 'machineId', `1..${LIMITS.machineId} characters`)
    .check(
      command.productVersion == null || isBoundedText(command.productVersion, LIMITS.productVersion),
      'productVersion',
      `1..${LIMITS.productVersion} characters`,
    )
    .throwIfInvalid();

  const ids = { accountId: context.accountId, sessionId, userId, productId: context.productId, machineId };
  const eligibility = context.eligibility.allowed ? null : context.eligibility.denyReason;
  const denyReason = usageDenyReason(eligibility, context.alertRules, seatsInUseWithout(state, userId, now));
  if (denyReason) return [{ type: 'UsageDenied', data: { ...ids, denyReason, deniedAt: now } }];

  const seats = { before: seatsInUse(state, now), after: seatsInUseWith(state, userId, now) };
  const started: EventOf<'UsageStarted'> = {
    type: 'UsageStarted',
    data: {
      ...ids,
      productVersion: command.productVersion ?? null,
      termLicenseUsage: isTermLicenseUsage(seats.after, context.seatsOwned),
      country: command.country,
      startedAt: now,
    },
  };
  return [started, ...raiseAlerts(state, context, seats, now)];
}

/**
 * What a start answers, from what was decided and the pool's state after it: the
 * session's recorded decision (a repeat gets the first one), and for a start just
 * allowed the warnings.
 */
export function usageStartAnswer(
  command: StartUsage,
  events: readonly SeatPoolEvent[],
  after: SeatPoolState,
): { decision: SessionDecision; warnings: string[] } {
  const denied = events.find((event) => event.type === 'UsageDenied' && event.data.sessionId === command.sessionId);
  const decision: SessionDecision | null =
    denied?.type === 'UsageDenied'
      ? {
          sessionId: command.sessionId,
          userId: denied.data.userId,
          allowed: false,
          denyReason: denied.data.denyReason,
          termLicenseUsage: false,
          status: 'DENIED',
        }
      : sessionDecision(after, command.sessionId, command.recorded);
  if (!decision) throw new Error(`session ${command.sessionId} was neither recorded nor found`);
  const started = events.find((event) => event.type === 'UsageStarted');
  const warnings = started ? usageWarnings(command.context, seatsInUse(after, command.now), decision.termLicenseUsage) : [];
  return { decision, warnings };
}

/** Heartbeats come from the session's own user (or the operator). */
export function decideHeartbeatUsage(command: HeartbeatUsage, state: SeatPoolState): SeatPoolEvent[] {
  const { actor } = command;
  authorize(actor, 'useOwnLicenses');
  const session = activeSession(state, command.sessionId, command.recorded, actor.kind === 'member' ? actor.userId : undefined);
  return [{ type: 'UsageHeartbeat', data: { ...sessionIds(state, session), at: command.now } }];
}

/** The session's user ends it; administrators and the operator may end anyone's (releasing the seat). */
export function decideEndUsage(command: EndUsage, state: SeatPoolState): SeatPoolEvent[] {
  authorizeFor(command.actor, sessionOwner(state, command.sessionId, command.recorded) ?? '');
  const session = activeSession(state, command.sessionId, command.recorded, undefined);
  return [{ type: 'UsageEnded', data: { ...sessionIds(state, session), endedAt: command.now } }];
}

export function decideTimeOutSessions(command: TimeOutSessions, state: SeatPoolState): SeatPoolEvent[] {
  new Validator().check(isInRange(command.ttlSeconds, LIMITS.sessionTtlSeconds), 'ttlSeconds', 'a positive number of seconds').throwIfInvalid();
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

/** The active session named; NOT_FOUND when the pool never saw the id, SESSION_NOT_ACTIVE when it is recorded but not active. */
function activeSession(state: SeatPoolState, sessionId: string, recorded: SessionRecord | null, userId: string | undefined): ActiveSession {
  const session = state.activeSessions.get(sessionId);
  const owner = sessionOwner(state, sessionId, recorded);
  if (owner === null) throw notFound(`session ${sessionId}`);
  if (userId !== undefined && owner !== userId) throw forbidden(`session ${sessionId} belongs to another user`);
  if (!session) throw new DomainError('SESSION_NOT_ACTIVE', `session ${sessionId} is not active (${recorded?.status ?? 'unknown'})`);
  return session;
}

function sessionIds(state: SeatPoolState, session: ActiveSession) {
  // A session exists only after a pool event, which set accountId and productId.
  return { accountId: state.accountId!, sessionId: session.sessionId, userId: session.userId, productId: state.productId! };
}
