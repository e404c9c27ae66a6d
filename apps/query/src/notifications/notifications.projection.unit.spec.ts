import type { DomainEvent } from '@ses/events';
import type { ProjectedEvent } from '../projections/projection';
import { deliveryId, NOTIFY } from './notification-docs';
import { MAIL_LANE, NotificationsProjection } from './notifications.projection';
import { WebhookRegistry } from './webhook-registry';

const AT = '2026-03-01T10:00:00.000Z';
let revision = 0n;
const at = (position: number, event: DomainEvent, streamId = 'account-a1'): ProjectedEvent =>
  ({
    ...event,
    eventId: `e${position}`,
    streamId,
    revision: revision++,
    position: BigInt(position),
    recordedAt: new Date(AT),
    metadata: { actor: 'sub-ann', commandId: 'c1', correlationId: 'k1', causationId: 'c1', schemaVersion: 1, occurredAt: AT, hash: 'h', extra: 'not sent' },
  }) as ProjectedEvent;
const webhookSet = (position: number, webhookId: string, eventTypes: string[], accountId = 'a1') =>
  at(position, { type: 'WebhookSet', data: { accountId, webhookId, url: `https://hooks.example/${webhookId}`, eventTypes, description: null } });
const registered = (position: number, userId: string, accountId = 'a1') =>
  at(position, { type: 'UserRegistered', data: { accountId, userId, email: `${userId}@x.example`, displayName: userId, country: 'US', registeredAt: AT } });
const deliveriesIn = (ops: ReturnType<NotificationsProjection['project']>) => ops.filter((op) => op.kind === 'upsert' && op.collection === NOTIFY.deliveries);

describe('the notifications projection', () => {
  it('makes a delivery per webhook of the account that lists the type, for events after the webhook was set, with the contract payload', () => {
    const projection = new NotificationsProjection(new WebhookRegistry(), { mail: false });
    expect(deliveriesIn(projection.project(registered(1, 'u0')))).toEqual([]);
    projection.project(webhookSet(2, 'w1', ['UserRegistered']));
    projection.project(webhookSet(3, 'w2', ['AlertRaised']));
    projection.project(webhookSet(4, 'w-other', ['UserRegistered'], 'a2'));
    const [op] = deliveriesIn(projection.project(registered(5, 'u1')));
    expect(op).toMatchObject({ kind: 'upsert', id: deliveryId('w1', 5n), position: 5n });
    if (op?.kind !== 'upsert') throw new Error('expected an upsert');
    const set = op.update.$set as Record<string, unknown>;
    expect(set).toMatchObject({ webhookId: 'w1', accountId: 'a1', eventType: 'UserRegistered', eventPosition: '5', status: 'PENDING', attempts: 0, rev: '5' });
    expect(JSON.parse(String(set.body))).toEqual({
      type: 'UserRegistered',
      position: '5',
      streamId: 'account-a1',
      occurredAt: AT,
      data: { accountId: 'a1', userId: 'u1', email: 'u1@x.example', displayName: 'u1', country: 'US', registeredAt: AT },
      metadata: { actor: 'sub-ann', commandId: 'c1', correlationId: 'k1', causationId: 'c1' },
    });
    expect(projection.takeCommitted(5n).map((r) => [r.lane, r.id])).toEqual([['w1', deliveryId('w1', 5n)]]);
    expect(projection.takeCommitted(5n)).toEqual([]);
  });

  it('stops at the WebhookRemoved position, and skips a disabled webhook', () => {
    const registry = new WebhookRegistry();
    const projection = new NotificationsProjection(registry, { mail: false });
    projection.project(webhookSet(1, 'w1', ['UserRegistered']));
    projection.project(webhookSet(2, 'w2', ['UserRegistered']));
    projection.project(at(3, { type: 'WebhookRemoved', data: { accountId: 'a1', webhookId: 'w1' } }));
    registry.disable('w2');
    expect(deliveriesIn(projection.project(registered(4, 'u1')))).toEqual([]);
    expect(registry.refusal('w1')).toBe('webhook removed');
    expect(registry.refusal('w2')).toMatch(/410/);
  });

  it('gives the same records when events are replayed with a registry loaded ahead of them (as after a crash)', () => {
    const registry = new WebhookRegistry();
    registry.load(
      [
        {
          _id: 'w1',
          accountId: 'a1',
          url: 'u',
          eventTypes: ['UserRegistered'],
          description: null,
          createdAt: AT,
          setPosition: '3',
          removed: true,
          removedPosition: '6',
        },
      ],
      [],
    );
    const projection = new NotificationsProjection(registry, { mail: false });
    // Replayed from before the webhook: only events strictly between set and removal are delivered.
    const ids = [2, 4, 5, 7].flatMap((p) => deliveriesIn(projection.project(registered(p, `u${p}`))).map((op) => (op as { id: string }).id));
    expect(ids).toEqual([deliveryId('w1', 4n), deliveryId('w1', 5n)]);
    // The WebhookSet seen again keeps what was known since (its removal).
    projection.project(webhookSet(3, 'w1', ['UserRegistered']));
    expect(registry.refusal('w1')).toBe('webhook removed');
  });

  it('makes a mail record of a mailed type only when mail is configured; keeps the directory either way', () => {
    const alert = at(
      9,
      { type: 'AlertRaised', data: { accountId: 'a1', alertId: 'al', ruleId: 'r1', productId: 'p', seatsInUse: 2, thresholdSeats: 2, seats: 5, raisedAt: AT } },
      'seatpool-a1-p',
    );
    const withMail = new NotificationsProjection(new WebhookRegistry(), { mail: true });
    expect(withMail.project(alert).map((op) => op.kind === 'upsert' && op.collection)).toEqual([NOTIFY.mails]);
    expect(withMail.takeCommitted(9n).map((r) => r.lane)).toEqual([MAIL_LANE]);
    const without = new NotificationsProjection(new WebhookRegistry(), { mail: false });
    expect(without.project(alert)).toEqual([]);
    expect(without.project(registered(10, 'u1')).map((op) => op.kind === 'upsert' && op.id)).toEqual(['user:u1']);
  });

  it('ignores service-internal events (no account)', () => {
    const projection = new NotificationsProjection(new WebhookRegistry(), { mail: true });
    expect(projection.project(at(1, { type: 'EmailReserved', data: { email: 'x@y.z', accountId: 'a1', userId: 'u1' } }, 'email-1'))).toEqual([]);
  });
});
