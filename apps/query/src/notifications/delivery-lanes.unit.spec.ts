import { DeliveryLanes, type AttemptOutcome, type LaneItem } from './delivery-lanes';

/** An attempt the test finishes by hand, to see what the lanes start and when. */
interface Pending {
  lane: string;
  id: string;
  finish(outcome: AttemptOutcome): void;
}

function harness(concurrency: (lane: string) => number = () => 1) {
  const started: Pending[] = [];
  const errors: string[] = [];
  const lanes = new DeliveryLanes(
    (lane, item) => new Promise<AttemptOutcome>((resolve) => started.push({ lane, id: item.id, finish: resolve })),
    concurrency,
    (lane, id) => errors.push(`${lane}/${id}`),
  );
  const item = (id: string, position: number, dueAt = 0): LaneItem => ({ id, positionKey: String(position).padStart(20, '0'), dueAt });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { lanes, started, errors, item, settle };
}

describe('delivery lanes', () => {
  it('sends one at a time per lane, oldest event first, each once', async () => {
    const { lanes, started, item, settle } = harness();
    lanes.add('w1', item('c', 30));
    lanes.add('w1', item('a', 10));
    lanes.add('w1', item('b', 20));
    lanes.add('w1', item('a', 10));
    expect(started.map((s) => s.id)).toEqual(['c']);
    started[0].finish({ done: true });
    await settle();
    expect(started.map((s) => s.id)).toEqual(['c', 'a']);
    started[1].finish({ done: true });
    await settle();
    started[2].finish({ done: true });
    await settle();
    expect(started.map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expect(lanes.pending).toBe(0);
  });

  it('never makes one lane wait for another', async () => {
    const { lanes, started, item } = harness();
    lanes.add('slow', item('s1', 1));
    lanes.add('slow', item('s2', 2));
    lanes.add('fast', item('f1', 3));
    expect(started.map((s) => `${s.lane}/${s.id}`)).toEqual(['slow/s1', 'fast/f1']);
  });

  it('lets a failed item wait for its retry while the younger ones behind it go out', async () => {
    const { lanes, started, item, settle } = harness();
    lanes.add('w1', item('a', 1));
    lanes.add('w1', item('b', 2));
    started[0].finish({ retryAt: Date.now() + 60_000 });
    await settle();
    expect(started.map((s) => s.id)).toEqual(['a', 'b']);
    expect(lanes.pendingIn('w1')).toBe(2);
  });

  it('retries an item when it falls due', async () => {
    const { lanes, started, item, settle } = harness();
    lanes.add('w1', item('a', 1));
    started[0].finish({ retryAt: Date.now() + 30 });
    await settle();
    expect(started).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(started.map((s) => s.id)).toEqual(['a', 'a']);
  });

  it('makes everything waiting in a lane due at once when asked (a removed or disabled webhook)', async () => {
    const { lanes, started, item, settle } = harness();
    lanes.add('w1', item('a', 1, Date.now() + 3_600_000));
    expect(started).toHaveLength(0);
    lanes.expedite('w1');
    await settle();
    expect(started.map((s) => s.id)).toEqual(['a']);
  });

  it('runs up to the concurrency of a lane', () => {
    const { lanes, started, item } = harness((lane) => (lane === 'mail' ? 2 : 1));
    for (let i = 0; i < 5; i++) lanes.add('mail', item(`m${i}`, i));
    expect(started.map((s) => s.id)).toEqual(['m0', 'm1']);
  });

  it('keeps an item whose attempt threw (the store could not be written) and reports it', async () => {
    const errors: string[] = [];
    const lanes = new DeliveryLanes(
      () => Promise.reject(new Error('disk full')),
      () => 1,
      (lane, id) => errors.push(`${lane}/${id}`),
    );
    lanes.add('w1', { id: 'a', positionKey: '1', dueAt: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['w1/a']);
    expect(lanes.pendingIn('w1')).toBe(1);
    await lanes.stop();
  });

  it('starts nothing after stop, and stop waits for attempts under way', async () => {
    const { lanes, started, item } = harness();
    lanes.add('w1', item('a', 1));
    let stopped = false;
    const stopping = lanes.stop().then(() => (stopped = true));
    lanes.add('w1', item('b', 2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    started[0].finish({ done: true });
    await stopping;
    expect(started.map((s) => s.id)).toEqual(['a']);
  });
});
