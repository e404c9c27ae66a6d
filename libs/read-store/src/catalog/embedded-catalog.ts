import { existsSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedReadStore, type EmbeddedReadStoreOptions } from '../embedded/embedded-read-store';
import type { ReadStore } from '../read-store.port';
import { assertGenerationName, INITIAL_GENERATION, type ReadStoreCatalog } from './read-store-catalog.port';

const POINTER = 'read-models.active';

/** Generations as files in the data directory; the active one is named in a small pointer file (replaced atomically). */
export class EmbeddedReadStoreCatalog implements ReadStoreCatalog {
  constructor(
    private readonly dataDir: string,
    private readonly baseFile = 'read-models.sqlite',
    /** How every generation's store is opened (its cache size, its logger). */
    private readonly options: EmbeddedReadStoreOptions = {},
  ) {}

  async active(): Promise<string> {
    const pointer = join(this.dataDir, POINTER);
    if (!existsSync(pointer)) return INITIAL_GENERATION;
    const generation = readFileSync(pointer, 'utf8').trim();
    assertGenerationName(generation);
    return generation;
  }

  open(generation: string): Promise<ReadStore> {
    return EmbeddedReadStore.open(this.fileOf(generation), this.options);
  }

  async activate(generation: string): Promise<void> {
    assertGenerationName(generation);
    mkdirSync(this.dataDir, { recursive: true });
    const pointer = join(this.dataDir, POINTER);
    writeFileSync(`${pointer}.tmp`, `${generation}\n`);
    renameSync(`${pointer}.tmp`, pointer);
  }

  async drop(generation: string): Promise<void> {
    if (generation === (await this.active())) throw new Error(`generation ${generation} is active`);
    const file = this.fileOf(generation);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }

  async close(): Promise<void> {}

  fileOf(generation: string): string {
    assertGenerationName(generation);
    return join(this.dataDir, generation === INITIAL_GENERATION ? this.baseFile : this.baseFile.replace(/\.sqlite$/, `.${generation}.sqlite`));
  }
}
