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

  describe('tickets', () => {
    it('is satisfied at once by a run that started after the ticket and has finished', async () => {
      const { run, runs } = controlled();
      const ticket = run.ticket();
      const first = run.run();
      runs[0]!.finish();
      await first;
      await run.since(ticket);
      expect(runs).toHaveLength(1);
    });

    it('joins the run in progress when it started after the ticket, and waits for the next one when it started before', async () => {
      const { run, runs, set } = controlled();
      const before = run.run(); // started before the ticket: may have read the log before the caller's event
      set(1);
      const ticket = run.ticket();
      let done = false;
      const waiting = run.since(ticket).then(() => (done = true));
      runs[0]!.finish();
      await before;
      await settle();
      expect(done).toBe(false);
      expect(runs.map((r) => r.saw)).toEqual([0, 1]);
      const laterTicket = run.ticket() - 1; // taken while run 2 was starting: run 2 started after it
      const joined = run.since(laterTicket);
      runs[1]!.finish();
      await Promise.all([waiting, joined]);
      expect(done).toBe(true);
      expect(runs).toHaveLength(2);
    });

    it('starts a run when none has started since the ticket, and is not satisfied by a failed one', async () => {
      let calls = 0;
      const run = new CoalescedRun(async () => {
        calls++;
        if (calls === 1) throw new Error('store unreachable');
      });
      const ticket = run.ticket();
      await expect(run.since(ticket)).rejects.toThrow('store unreachable');
      await run.since(ticket);
      expect(calls).toBe(2);
      await run.since(ticket);
      expect(calls).toBe(2);
    });
  });
});
