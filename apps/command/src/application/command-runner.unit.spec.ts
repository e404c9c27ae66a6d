import type { RecordedResult } from '../infrastructure/lookups/lookups';
import type { AggregateStore } from '../infrastructure/aggregate-store';
import { ActorResolver } from './actor-resolver';
import { CommandRunner, type RunContext } from './command-runner';

/** Recorded results as a second instance sees them: nothing yet when it first looks, the first delivery's result afterwards. */
function results(recordedAfterFirstLook?: RecordedResult) {
  let looks = 0;
  return {
    looks: () => looks,
    find: async (): Promise<RecordedResult | undefined> => (++looks === 1 ? undefined : recordedAfterFirstLook),
  };
}

// An operator's principal resolves without reading anything.
const operator = new ActorResolver({} as AggregateStore);
const clock = { now: () => new Date('2026-12-01T10:00:00.000Z') };
const envelope = (commandId?: string) => ({ principal: { sub: 'op', operator: true }, commandId, correlationId: 'corr' });
const first: RecordedResult = { result: { checkoutId: 'c1', checkedOutAt: 'first instant' }, position: 7n };

describe('CommandRunner: one commandId delivered to two instances at once', () => {
  it('answers the first delivery result when its own appends were already stored under the same ids', async () => {
    const recorded = results(first);
    const runner = new CommandRunner(clock, recorded, operator);
    const answer = await runner.run(envelope('cmd-1'), async (ctx: RunContext) => {
      ctx.onAppend?.({ streamId: 's', alreadyStored: true });
      return { result: { checkoutId: 'c1', checkedOutAt: 'second instant' }, position: 7n };
    });
    expect(answer).toEqual({ checkoutId: 'c1', checkedOutAt: 'first instant', position: '7' });
  });

  it('answers the first delivery result when deciding after its events failed (checkoutId already used)', async () => {
    const runner = new CommandRunner(clock, results(first), operator);
    const answer = await runner.run(envelope('cmd-1'), async () => {
      throw new Error('checkoutId c1 is already used');
    });
    expect(answer).toEqual({ checkoutId: 'c1', checkedOutAt: 'first instant', position: '7' });
  });

  it('answers the first delivery result when deciding after its events appended nothing', async () => {
    const runner = new CommandRunner(clock, results(first), operator);
    const answer = await runner.run(envelope('cmd-1'), async () => ({ result: { checkoutId: 'c1', checkedOutAt: 'nothing decided' }, position: 9n }));
    expect(answer).toEqual({ checkoutId: 'c1', checkedOutAt: 'first instant', position: '7' });
  });

  it('answers its own result, with no second look, when it appended its own events', async () => {
    const recorded = results(first);
    const runner = new CommandRunner(clock, recorded, operator);
    const answer = await runner.run(envelope('cmd-1'), async (ctx: RunContext) => {
      ctx.onAppend?.({ streamId: 's', alreadyStored: false });
      return { result: { checkoutId: 'c1', checkedOutAt: 'mine' }, position: 8n };
    });
    expect(answer).toEqual({ checkoutId: 'c1', checkedOutAt: 'mine', position: '8' });
    expect(recorded.looks()).toBe(1);
  });

  it('still fails a command that failed and was never recorded, and looks nothing up without a commandId', async () => {
    await expect(new CommandRunner(clock, results(undefined), operator).run(envelope('cmd-2'), async () => Promise.reject(new Error('no')))).rejects.toThrow(
      'no',
    );
    const recorded = results(first);
    await expect(new CommandRunner(clock, recorded, operator).run(envelope(), async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(recorded.looks()).toBe(0);
  });
});
