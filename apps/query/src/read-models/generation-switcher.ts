import type { ReadStoreCatalog } from '@ses/read-store';
import type { Logger } from 'pino';
import type { ProjectionEngine } from '../projections/projection-engine';
import type { SwappableReadStore } from './swappable-read-store';

/**
 * Watches which read-model generation is active and moves the running query app to
 * a rebuilt one: the engine flushes into the old generation and stops, queries are
 * pointed at the new one, and the engine resumes there after the rebuild's last
 * position. Queries are answered throughout.
 */
export class GenerationSwitcher {
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    private readonly catalog: ReadStoreCatalog,
    private readonly store: SwappableReadStore,
    private readonly engine: ProjectionEngine,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }

  /** Switches if another generation became active; concurrent calls share one check. */
  check(): Promise<void> {
    this.checking ??= this.switchIfNeeded().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async switchIfNeeded(): Promise<void> {
    try {
      const active = await this.catalog.active();
      if (active === this.store.generation) return;
      const next = await this.catalog.open(active);
      await this.engine.stop();
      const previous = this.store.swap(next, active);
      await this.engine.start();
      await previous.close();
      this.logger.info({ generation: active }, 'read models switched to a rebuilt generation');
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'read-model generation switch failed');
    }
  }
}
