import { CoalescedRun } from './coalesced-run';

/** A task whose runs we finish by hand, recording what each run saw when it started. */
function controlled() {
  let value = 0;
  const runs: { saw: number; finish: () => void }[] = [];
  const run = new CoalescedRun(
    () =>
      new Promise<void>((resolve) => {
        runs.push({ saw: value, finish: resolve });
      }),
  );
  return { run, runs, set: (v: number) => (value = v) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedRun', () => {
  it('gives a caller that arrives during a run the next run, which started after it called', async () => {
    const { run, runs, set } = controlled();
    const first = run.run();
    set(1); // e.g. an event appended after the first run read the log
    let secondDone = false;
    const second = run.run().then(() => (secondDone = true));
    runs[0]!.finish();
    await first;
    await settle();
    expect(secondDone).toBe(false);
    expect(runs.map((r) => r.saw)).toEqual([0, 1]);
    runs[1]!.finish();
    await second;
    expect(secondDone).toBe(true);
  });

  it('shares one queued run among every caller that arrives during a run', async () => {
    const { run, runs } = controlled();
    const first = run.run();
    const waiting = [run.run(), run.run(), run.run()];
    runs[0]!.finish();
    await first;
    await settle();
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await Promise.all(waiting);
    expect(runs).toHaveLength(2);
  });

  it('runs again after a failed run, and idle() waits for what is in progress', async () => {
    let calls = 0;
    const run = new CoalescedRun(async () => {
      calls++;
      if (calls === 1) throw new Error('store unreachable');
    });
    await expect(run.run()).rejects.toThrow('store unreachable');
    await run.run();
    await run.idle();
    expect(calls).toBe(2);
  });
});
