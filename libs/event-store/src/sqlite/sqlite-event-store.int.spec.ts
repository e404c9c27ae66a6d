import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { anEvent, DeliveryRecorder, events, uniqueStream, waitUntil } from '../event-store.contract-support';
import { eventStoreContract } from '../event-store.contract';
import { WrongExpectedRevisionError } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';
import { prepareEventsDatabase } from './sqlite-schema';

const tempDirs: string[] = [];

function freshFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ses-event-store-'));
  tempDirs.push(dir);
  // A folder that does not exist yet: the store must create it.
  return join(dir, 'nested', 'events.sqlite');
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

eventStoreContract(
  'SqliteEventStore',
  async ({ onSkipped }) => new SqliteEventStore(freshFile(), { onSkipped }),
  undefined,
  async (store) => new SqliteEventStore((store as SqliteEventStore).filePath),
);

describe('SqliteEventStore (SQLite only)', () => {
  const opened: SqliteEventStore[] = [];
  const openStore = (file: string, pollIntervalMs?: number): SqliteEventStore => {
    const store = new SqliteEventStore(file, { pollIntervalMs });
    opened.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('commits appends asked for side by side together, each checked on its own: a conflict fails alone, order and positions kept', async () => {
    const file = freshFile();
    const store = openStore(file);
    const streams = Array.from({ length: 200 }, () => uniqueStream());
    await store.appendToStream(streams[7]!, events(1), 'no_stream');
    const outcomes = await Promise.allSettled(streams.map((stream) => store.appendToStream(stream, events(2), 'no_stream')));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toEqual([expect.any(WrongExpectedRevisionError)]);
    expect(outcomes[7]!.status).toBe('rejected');
    const positions = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.position] : []));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(await store.headPosition()).toBe(1n + 199n * 2n);
    expect((await store.readStream(streams[7]!)).length).toBe(1);
    // Durable for another connection once the appends resolved.
    const probe = new Database(file, { readonly: true });
    try {
      expect(probe.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 399 });
    } finally {
      probe.close();
    }
  });

  it('commits appends asked for while a batch is being committed in the next batch: each acknowledged only once stored, in order', async () => {
    const file = freshFile();
    const store = openStore(file);
    const probe = new Database(file, { readonly: true });
    const storedNow = probe.prepare('SELECT COUNT(*) FROM events WHERE stream_id = ?').pluck();
    try {
      const streams = Array.from({ length: 60 }, () => uniqueStream());
      const acknowledged: string[] = [];
      const append = async (stream: string, expected: 'no_stream' | bigint) => {
        const result = await store.appendToStream(stream, events(1), expected);
        // Acknowledged: another connection already reads it (committed, and synchronous=FULL makes a commit durable).
        expect(storedNow.get(stream)).toBe(expected === 'no_stream' ? 1 : 2);
        acknowledged.push(stream);
        return result;
      };
      const first = streams.slice(0, 30).map((stream) => append(stream, 'no_stream'));
      // The first wave's batch is sent on the next turn; these are asked for once it is under way.
      await new Promise((resolve) => setImmediate(resolve));
      const second = [...streams.slice(30).map((stream) => append(stream, 'no_stream')), append(streams[0]!, 0n)];
      const results = await Promise.all([...first, ...second]);
      expect(acknowledged).toHaveLength(61);
      const positions = results.map((r) => r.position);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
      expect(results[60]).toMatchObject({ nextExpectedRevision: 1n });
      // A conflict in a later batch is checked against what the earlier one stored.
      await expect(store.appendToStream(streams[0]!, events(1), 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    } finally {
      probe.close();
    }
  });

  it('refuses appends after close', async () => {
    const store = new SqliteEventStore(freshFile());
    await store.appendToStream(uniqueStream(), events(1), 'no_stream');
    await store.close();
    await expect(store.appendToStream(uniqueStream(), events(1), 'no_stream')).rejects.toThrow(/closed/);
  });

  it('stores appends asked for right before close', async () => {
    const file = freshFile();
    const store = new SqliteEventStore(file);
    const stream = uniqueStream();
    const appended = store.appendToStream(stream, events(3), 'no_stream');
    await store.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 2n });
    const again = openStore(file);
    expect(await again.readStream(stream)).toHaveLength(3);
  });

  it('starts empty: head -1n and no events', async () => {
    const store = openStore(freshFile());

    expect(await store.headPosition()).toBe(-1n);
    expect(await store.readAll()).toEqual([]);
  });

  it('numbers positions from 1 and reads at most 1000 events by default', async () => {
    const store = openStore(freshFile());
    const stream = uniqueStream();
    await store.appendToStream(stream, events(1001), 'no_stream');

    const page = await store.readAll();

    expect(page).toHaveLength(1000);
    expect(page[0]!.position).toBe(1n);
    expect(await store.headPosition()).toBe(1001n);
  });

  it('puts the file in WAL mode, configures each connection for durable commits, and creates the schema', async () => {
    const file = freshFile();
    openStore(file);
    const probe = new Database(file);
    try {
      expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
      prepareEventsDatabase(probe);
      expect(probe.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(probe.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(probe.pragma('temp_store', { simple: true })).toBe(2); // MEMORY: savepoint journals of a group commit write no temporary file
      const indexes = probe.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").pluck().all();
      expect(indexes).toContain('events_event_id');
    } finally {
      probe.close();
    }
  });

  it('keeps its events when the file is reopened', async () => {
    const file = freshFile();
    const stream = uniqueStream();
    const batch = events(3);
    const writer = new SqliteEventStore(file);
    const written = await writer.appendToStream(stream, batch, 'no_stream');
    await writer.close();

    const reopened = openStore(file);

    expect((await reopened.readStream(stream)).map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
    expect(await reopened.headPosition()).toBe(written.position);
    await expect(reopened.appendToStream(stream, [anEvent()], 'no_stream')).rejects.toMatchObject({ actual: 2n });
  });

  it("lets a second instance on the same file follow the first one's appends by polling", async () => {
    const file = freshFile();
    const writer = openStore(file);
    const reader = openStore(file, 10);
    const stream = uniqueStream();
    const recorder = new DeliveryRecorder(new Set([stream]));
    const subscription = reader.subscribeToAll({ onEvent: recorder.onEvent, onError: recorder.onError });
    try {
      const first = events(2);
      await writer.appendToStream(stream, first, 'no_stream');
      await recorder.waitForCount(2);
      const second = events(2);
      await writer.appendToStream(stream, second, 1n);
      await recorder.waitForCount(4);

      expect(recorder.errors).toEqual([]);
      expect(recorder.ids()).toEqual([...first, ...second].map((e) => e.eventId));
    } finally {
      await subscription.close();
    }
  });

  it('wakes its own subscriptions on a local append without waiting for the poll interval', async () => {
    const store = openStore(freshFile(), 60_000);
    const stream = uniqueStream();
    const recorder = new DeliveryRecorder(new Set([stream]));
    const subscription = store.subscribeToAll({ onEvent: recorder.onEvent });
    try {
      await store.appendToStream(stream, [anEvent()], 'no_stream');
      await recorder.waitForCount(1);
      await store.appendToStream(stream, [anEvent()], 0n);
      await recorder.waitForCount(2);
    } finally {
      await subscription.close();
    }
  });

  it('does not miss a local append made while onEvent is running', async () => {
    const store = openStore(freshFile(), 60_000);
    const stream = uniqueStream();
    const handled: bigint[] = [];
    let firstStarted = false;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const subscription = store.subscribeToAll({
      onEvent: async (event) => {
        if (event.revision === 0n) {
          firstStarted = true;
          await gate;
        }
        handled.push(event.revision);
      },
    });
    try {
      await store.appendToStream(stream, [anEvent()], 'no_stream');
      await waitUntil(() => firstStarted, 'the first event is being handled');
      await store.appendToStream(stream, [anEvent()], 0n);
      release();
      await waitUntil(() => handled.length === 2, 'both events were handled');
      expect(handled).toEqual([0n, 1n]);
    } finally {
      await subscription.close();
    }
  });

  it('keeps a gapless, duplicate-free log when two instances append concurrently', async () => {
    const file = freshFile();
    const stores = [openStore(file), openStore(file)];
    const stream = uniqueStream();
    const perStore = 40;

    const results = await Promise.all(stores.flatMap((store) => Array.from({ length: perStore }, () => store.appendToStream(stream, [anEvent()], 'any'))));

    const all = await stores[1]!.readAll();
    expect(all).toHaveLength(2 * perStore);
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 2 * perStore }, (_unused, index) => BigInt(index + 1)));
    expect(all.map((e) => e.revision)).toEqual(Array.from({ length: 2 * perStore }, (_unused, index) => BigInt(index)));
    expect(new Set(all.map((e) => e.eventId)).size).toBe(2 * perStore);
    expect(new Set(results.map((result) => result.position)).size).toBe(2 * perStore);
  });

  it('skips and reports rows another tool wrote that are not JSON, in reads and subscriptions, and goes on past them', async () => {
    const file = freshFile();
    const skipped: string[] = [];
    const store = new SqliteEventStore(file, { onSkipped: (record, problem) => skipped.push(`${record.eventId}: ${problem}`) });
    opened.push(store);
    const stream = uniqueStream();
    await store.appendToStream(stream, [anEvent()], 'no_stream');
    const foreign = new Database(file);
    try {
      const insert = foreign.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      insert.run('foreign-1', stream, 1, 'Binary', '\u0000\u0001 not json', '{}', new Date().toISOString());
      insert.run('foreign-2', stream, 2, 'GroupMemberAdded', '[1, 2]', 'nope', new Date().toISOString());
    } finally {
      foreign.close();
    }
    const after = anEvent();
    await store.appendToStream(stream, [after], 2n);
    const recorder = new DeliveryRecorder(new Set([stream]));
    const subscription = store.subscribeToAll({ onEvent: recorder.onEvent, onError: recorder.onError });
    try {
      await recorder.waitForCount(2);
      expect(recorder.errors).toEqual([]);
      expect(recorder.received.map((event) => event.revision)).toEqual([0n, 3n]);
      expect((await store.readAll()).filter((event) => event.streamId === stream)).toHaveLength(2);
      expect(await store.readStream(stream)).toHaveLength(2);
    } finally {
      await subscription.close();
    }
    expect(new Set(skipped)).toEqual(new Set(['foreign-1: data is not JSON', 'foreign-2: data is not a JSON object']));
  });
});
