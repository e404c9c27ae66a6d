import type { WebhookDoc, WebhookHealthDoc } from './notification-docs';

export interface WebhookEntry {
  webhookId: string;
  accountId: string;
  url: string;
  eventTypes: ReadonlySet<string>;
  setPosition: bigint;
  removedPosition?: bigint;
  /** The endpoint answered 410 Gone. */
  disabled: boolean;
}

/**
 * Every webhook the deliverer knows, in memory (few: at most LIMITS.webhooksPerAccount per
 * account), for matching events as they are projected and for the senders' checks.
 * Matching goes by positions, not by what was seen last, so it gives the same answer when
 * the engine re-projects events after a restart with this registry loaded from a store
 * that is ahead of its checkpoint (MongoDB writes documents before the checkpoint).
 */
export class WebhookRegistry {
  private readonly byId = new Map<string, WebhookEntry>();
  private readonly byAccount = new Map<string, WebhookEntry[]>();

  load(webhooks: readonly WebhookDoc[], health: readonly WebhookHealthDoc[]): void {
    this.byId.clear();
    this.byAccount.clear();
    const disabled = new Set(health.filter((h) => h.disabled).map((h) => h._id));
    for (const doc of webhooks) {
      this.set({
        webhookId: doc._id,
        accountId: doc.accountId,
        url: doc.url,
        eventTypes: new Set(doc.eventTypes),
        setPosition: BigInt(doc.setPosition),
        removedPosition: doc.removedPosition === undefined ? undefined : BigInt(doc.removedPosition),
        disabled: disabled.has(doc._id),
      });
    }
  }

  set(entry: WebhookEntry): void {
    const known = this.byId.get(entry.webhookId);
    if (known) {
      // The same WebhookSet again (replayed): keep what is known since (removal, 410).
      return;
    }
    this.byId.set(entry.webhookId, entry);
    const list = this.byAccount.get(entry.accountId) ?? [];
    list.push(entry);
    this.byAccount.set(entry.accountId, list);
  }

  remove(webhookId: string, position: bigint): void {
    const entry = this.byId.get(webhookId);
    if (entry && (entry.removedPosition === undefined || position < entry.removedPosition)) entry.removedPosition = position;
  }

  disable(webhookId: string): void {
    const entry = this.byId.get(webhookId);
    if (entry) entry.disabled = true;
  }

  get(webhookId: string): WebhookEntry | undefined {
    return this.byId.get(webhookId);
  }

  /** Webhooks of the account that want an event of this type at this position: set before it, not removed before it, not disabled. */
  matching(accountId: string, type: string, position: bigint): WebhookEntry[] {
    const list = this.byAccount.get(accountId);
    if (!list) return [];
    return list.filter(
      (w) => !w.disabled && w.eventTypes.has(type) && w.setPosition < position && (w.removedPosition === undefined || position < w.removedPosition),
    );
  }

  /** Why a delivery to this webhook must not be attempted any more, or null when it may. */
  refusal(webhookId: string): string | null {
    const entry = this.byId.get(webhookId);
    if (!entry) return 'webhook unknown';
    if (entry.removedPosition !== undefined) return 'webhook removed';
    if (entry.disabled) return 'webhook disabled: its endpoint answered 410 Gone';
    return null;
  }
}
