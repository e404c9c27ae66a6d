import type { EventStore, StoredEvent, Subscription } from '@ses/event-store';
import type { Logger } from 'pino';
import type { CommandResults, EntityLocator, PoolRef, RecordedResult } from './lookups';

const PAGE = 5000;

/**
 * EntityLocator and CommandResults in memory, built by tailing the global log: the whole
 * log is read at start, then followed live. Every mapping is immutable once written, so
 * a miss is answered by catching up with the log first. Memory and start-up grow with
 * the log (issue 8 replaces this with a persistent index).
 */
export class InMemoryLogIndex implements EntityLocator, CommandResults {
  private position = -1n;
  private readonly accounts = new Map<string, string>();
  /** Session ids are the clients' and scoped by account: one id may name sessions of several accounts. */
  private readonly sessions = new Map<string, PoolRef[]>();
  private readonly checkouts = new Map<string, PoolRef>();
  private readonly results = new Map<string, RecordedResult>();
  private readonly pools = new Map<string, PoolRef>();
  private subscription?: Subscription;
  private catchingUp?: Promise<void>;
  private stopped = false;
  private refollow?: NodeJS.Timeout;

  constructor(
    private readonly store: EventStore,
    private readonly logger?: Pick<Logger, 'info' | 'warn' | 'error'>,
  ) {}

  /** Catches up with the whole log, then follows it live. */
  async start(): Promise<void> {
    await this.catchUp();
    this.follow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.refollow);
    await this.subscription?.close();
  }

  /**
   * Follows the log live. The subscription retries by itself while the event store is
   * unreachable (said once in the log); every miss catches up from the log anyway, so an
   * answer never depends on it being current. Should indexing ever throw, it follows
   * again a second later from the last event indexed.
   */
  private follow(): void {
    if (this.stopped) return;
    this.subscription = this.store.subscribeToAll({
      after: this.position,
      onEvent: (event) => this.index(event),
      onRetry: (error, retry) => {
        if (retry.attempt === 1) this.logger?.warn({ err: error.message }, 'command lookups: event store unreachable, following the log again once it answers');
      },
      onRecovered: ({ attempts, downMs }) => this.logger?.info({ attempts, downMs }, 'command lookups: following the log again'),
      onError: (error) => {
        this.logger?.error({ err: error.message }, 'command lookups: indexing an event failed; following the log again in 1 s');
        this.refollow = setTimeout(() => this.follow(), 1000);
        this.refollow.unref();
      },
    });
  }

  async accountOf(entityId: string): Promise<string | undefined> {
    return this.accounts.get(entityId) ?? (await this.catchUp(), this.accounts.get(entityId));
  }

  /** Always caught up first: a hit in one account says nothing about the others. */
  async poolsOfSession(sessionId: string): Promise<PoolRef[]> {
    await this.catchUp();
    return [...(this.sessions.get(sessionId) ?? [])];
  }

  async poolOfCheckout(checkoutId: string): Promise<PoolRef | undefined> {
    return this.checkouts.get(checkoutId) ?? (await this.catchUp(), this.checkouts.get(checkoutId));
  }

  async knownPools(): Promise<PoolRef[]> {
    await this.catchUp();
    return [...this.pools.values()];
  }

  async find(idempotencyKey: string): Promise<RecordedResult | undefined> {
    await this.catchUp();
    return this.results.get(idempotencyKey);
  }

  /** Reads whatever the log has beyond what is indexed (shared by concurrent callers). */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        for (;;) {
          const page = await this.store.readAll({ after: this.position, maxCount: PAGE });
          for (const event of page) this.index(event);
          if (page.length < PAGE) return;
        }
      } finally {
        this.catchingUp = undefined;
      }
    })();
    return this.catchingUp;
  }

  private index(event: StoredEvent): void {
    if (event.position <= this.position) return;
    this.position = event.position;
    switch (event.type) {
      case 'AccountOpened':
        this.accounts.set(event.data.accountId, event.data.accountId);
        break;
      case 'UserRegistered':
        this.accounts.set(event.data.userId, event.data.accountId);
        break;
      case 'GroupCreated':
        this.accounts.set(event.data.groupId, event.data.accountId);
        break;
      case 'AlertRuleSet':
        this.accounts.set(event.data.ruleId, event.data.accountId);
        break;
      case 'EntitlementGranted':
        this.accounts.set(event.data.entitlementId, event.data.accountId);
        break;
      case 'UsageStarted':
      case 'UsageDenied':
        this.rememberSession(event.data.sessionId, this.rememberPool(event.data));
        break;
      case 'LicenseCheckedOut':
        this.checkouts.set(event.data.checkoutId, this.rememberPool(event.data));
        break;
    }
    const key = event.metadata.idempotencyKey;
    if (typeof key === 'string' && 'commandResult' in event.metadata) this.results.set(key, { result: event.metadata.commandResult, position: event.position });
  }

  private rememberSession(sessionId: string, pool: PoolRef): void {
    const pools = this.sessions.get(sessionId) ?? [];
    if (!pools.some((known) => known.accountId === pool.accountId && known.productId === pool.productId)) this.sessions.set(sessionId, [...pools, pool]);
  }

  private rememberPool({ accountId, productId }: PoolRef): PoolRef {
    const key = `${accountId}\u0000${productId}`;
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = { accountId, productId }));
    return pool;
  }
}
