import { EVENT_TYPES, type EventType } from '@ses/events';

/** Service-internal events of the catalogue (they concern no account): no webhook may list them. */
const INTERNAL_EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(['EmailReserved', 'EmailReleased']);

/** Every event type a webhook may list: the catalogue's (any type added to it later included), less the service-internal ones. */
export const webhookEventTypes = (): string[] => EVENT_TYPES.filter((type) => !INTERNAL_EVENT_TYPES.has(type));

export const isWebhookEventType = (type: string): boolean => (EVENT_TYPES as readonly string[]).includes(type) && !INTERNAL_EVENT_TYPES.has(type);
