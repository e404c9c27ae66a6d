import { MongoClient } from 'mongodb';
import { MongoReadStore } from '../mongo/mongo-read-store';
import { databaseNameFromUrl } from '../mongo/mongo-url';
import type { ReadStore } from '../read-store.port';
import { assertGenerationName, INITIAL_GENERATION, type ReadStoreCatalog } from './read-store-catalog.port';

/** Generations as databases (`ses`, `ses_<generation>`); the active one is named in `<base>_catalog.pointer`. */
export class MongoReadStoreCatalog implements ReadStoreCatalog {
  private readonly base: string;

  private constructor(
    private readonly url: string,
    private readonly client: MongoClient,
  ) {
    this.base = databaseNameFromUrl(url) ?? 'ses';
  }

  static async connect(url: string): Promise<MongoReadStoreCatalog> {
    const client = new MongoClient(url);
    await client.connect();
    return new MongoReadStoreCatalog(url, client);
  }

  async active(): Promise<string> {
    const pointer = await this.pointers().findOne({ _id: 'active' });
    return pointer?.generation ?? INITIAL_GENERATION;
  }

  open(generation: string): Promise<ReadStore> {
    return MongoReadStore.connect(this.url, this.databaseOf(generation));
  }

  async activate(generation: string): Promise<void> {
    assertGenerationName(generation);
    await this.pointers().updateOne({ _id: 'active' }, { $set: { generation, activatedAt: new Date().toISOString() } }, { upsert: true });
  }

  async drop(generation: string): Promise<void> {
    if (generation === (await this.active())) throw new Error(`generation ${generation} is active`);
    await this.client.db(this.databaseOf(generation)).dropDatabase();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private pointers() {
    return this.client.db(`${this.base}_catalog`).collection<{ _id: string; generation: string }>('pointer');
  }

  private databaseOf(generation: string): string {
    assertGenerationName(generation);
    return generation === INITIAL_GENERATION ? this.base : `${this.base}_${generation}`;
  }
}
