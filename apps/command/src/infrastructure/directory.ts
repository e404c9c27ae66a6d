import type { EventStore, StoredEvent, Subscription } from '@ses/event-store';

export interface PoolRef {
  accountId: string;
  productId: string;
}

/**
 * Command-side lookups that no single aggregate answers: which account a user,
 * group, rule or entitlement belongs to, which seat pool a session or check-out is
 * in, and the results of commands already handled (idempotency). Built by tailing
 * the global log. Every mapping is immutable once written, so a miss is answered by
 * catching up with the log first: an id the service handed out is always found.
 */
export class Directory {
  private position = -1n;
  private readonly accountOf = new Map<string, string>();
  private readonly poolOf = new Map<string, PoolRef>();
  private readonly results = new Map<string, { result: unknown; position: bigint }>();
  private readonly pools = new Map<string, PoolRef>();
  private subscription?: Subscription;
  private catchingUp?: Promise<void>;

  constructor(private readonly store: EventStore) {}

  /** Catches up with the whole log, then follows it live. */
  async start(): Promise<void> {
    await this.catchUp();
    this.subscription = this.store.subscribeToAll({ after: this.position, onEvent: (e) => this.index(e) });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }

  /** Reads whatever the log has beyond what is indexed (shared by concurrent callers). */
  catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        for (;;) {
          const page = await this.store.readAll({ after: this.position, maxCount: 5000 });
          for (const event of page) this.index(event);
          if (page.length < 5000) return;
        }
      } finally {
        this.catchingUp = undefined;
      }
    })();
    return this.catchingUp;
  }

  async accountOfEntity(id: string): Promise<string | undefined> {
    return this.accountOf.get(id) ?? (await this.catchUp(), this.accountOf.get(id));
  }

  async poolOfEntity(id: string): Promise<PoolRef | undefined> {
    return this.poolOf.get(id) ?? (await this.catchUp(), this.poolOf.get(id));
  }

  async commandResult(key: string): Promise<{ result: unknown; position: bigint } | undefined> {
    await this.catchUp();
    return this.results.get(key);
  }

  /** Every seat pool that has ever had a session or check-out (for timers). */
  knownPools(): PoolRef[] {
    return [...this.pools.values()];
  }

  private index(stored: StoredEvent): void {
    if (stored.position <= this.position) return;
    this.position = stored.position;
    switch (stored.type) {
      case 'AccountOpened':
        this.accountOf.set(stored.data.accountId, stored.data.accountId);
        break;
      case 'UserRegistered':
        this.accountOf.set(stored.data.userId, stored.data.accountId);
        break;
      case 'GroupCreated':
        this.accountOf.set(stored.data.groupId, stored.data.accountId);
        break;
      case 'AlertRuleSet':
        this.accountOf.set(stored.data.ruleId, stored.data.accountId);
        break;
      case 'EntitlementGranted':
        this.accountOf.set(stored.data.entitlementId, stored.data.accountId);
        break;
      case 'UsageStarted':
      case 'UsageDenied':
        this.rememberPool(stored.data.sessionId, stored.data);
        break;
      case 'LicenseCheckedOut':
        this.rememberPool(stored.data.checkoutId, stored.data);
        break;
    }
    const key = stored.metadata.idempotencyKey;
    if (typeof key === 'string' && 'commandResult' in stored.metadata)
      this.results.set(key, { result: stored.metadata.commandResult, position: stored.position });
  }

  private rememberPool(id: string, d: PoolRef): void {
    const ref = { accountId: d.accountId, productId: d.productId };
    this.poolOf.set(id, ref);
    this.pools.set(`${ref.accountId}\u0000${ref.productId}`, ref);
  }
}
