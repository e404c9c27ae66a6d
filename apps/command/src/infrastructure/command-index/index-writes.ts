import type { StoredEvent } from '@ses/event-store';
import type { IndexWrite } from './command-index-store.port';

/**
 * What one event changes in the command index: which account an id belongs to, the
 * record of every session and check-out of a pool (and when an active one falls due),
 * and the result a command recorded for its idempotency key. Pure: the same event always
 * gives the same writes, so re-applying a page of the log changes nothing.
 */
export function indexWritesOf(event: StoredEvent): IndexWrite[] {
  const { position } = event;
  const writes: IndexWrite[] = [];
  const entity = (entityId: string, accountId: string) => writes.push({ kind: 'entity', entityId, accountId, position });
  switch (event.type) {
    case 'AccountOpened':
      entity(event.data.accountId, event.data.accountId);
      break;
    case 'UserRegistered':
      entity(event.data.userId, event.data.accountId);
      break;
    case 'GroupCreated':
      entity(event.data.groupId, event.data.accountId);
      break;
    case 'AlertRuleSet':
      entity(event.data.ruleId, event.data.accountId);
      break;
    case 'EntitlementGranted':
      entity(event.data.entitlementId, event.data.accountId);
      break;
    case 'RegistrationRequested':
      entity(event.data.requestId, event.data.accountId);
      break;
    case 'WebhookSet':
      entity(event.data.webhookId, event.data.accountId);
      break;
    case 'UsageStarted': {
      const { accountId, productId, sessionId, userId, termLicenseUsage, startedAt } = event.data;
      const record = { userId, allowed: true, denyReason: null, termLicenseUsage, status: 'ACTIVE' as const };
      writes.push({ kind: 'session', pool: { accountId, productId }, sessionId, record, lastActivityMs: Date.parse(startedAt), position });
      break;
    }
    case 'UsageDenied': {
      const { accountId, productId, sessionId, userId, denyReason } = event.data;
      const record = { userId, allowed: false, denyReason, termLicenseUsage: false, status: 'DENIED' as const };
      writes.push({ kind: 'session', pool: { accountId, productId }, sessionId, record, lastActivityMs: null, position });
      break;
    }
    case 'UsageHeartbeat': {
      const { accountId, productId, sessionId, at } = event.data;
      writes.push({ kind: 'sessionActivity', pool: { accountId, productId }, sessionId, lastActivityMs: Date.parse(at), position });
      break;
    }
    case 'UsageEnded':
    case 'UsageTimedOut': {
      const { accountId, productId, sessionId } = event.data;
      const status = event.type === 'UsageEnded' ? 'ENDED' : 'TIMED_OUT';
      writes.push({ kind: 'sessionClosed', pool: { accountId, productId }, sessionId, status, position });
      break;
    }
    case 'LicenseCheckedOut': {
      const { accountId, productId, checkoutId, userId, expiresAt } = event.data;
      writes.push({ kind: 'checkout', pool: { accountId, productId }, checkoutId, userId, expiresMs: Date.parse(expiresAt), position });
      break;
    }
    case 'LicenseCheckedIn':
    case 'CheckoutExpired':
      writes.push({
        kind: 'checkoutClosed',
        checkoutId: event.data.checkoutId,
        status: event.type === 'LicenseCheckedIn' ? 'CHECKED_IN' : 'EXPIRED',
        position,
      });
      break;
  }
  const key = event.metadata.idempotencyKey;
  if (typeof key === 'string' && 'commandResult' in event.metadata) writes.push({ kind: 'result', key, result: event.metadata.commandResult, position });
  return writes;
}
