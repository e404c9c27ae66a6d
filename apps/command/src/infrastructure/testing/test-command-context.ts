import type { CommandContext } from '../aggregate-store';

let seq = 0;

/** A command context with ids of its own (commandId `c<n>`, seed `seed-<n>`); `told` collects what each append told onAppend. */
export function testCommandContext(told?: boolean[]): CommandContext {
  seq++;
  return {
    actorSub: 'tester',
    commandId: `c${seq}`,
    correlationId: 'corr',
    causationId: 'cause',
    now: '2026-11-23T10:00:00.000Z',
    seed: `seed-${seq}`,
    onAppend: told && (({ alreadyStored }) => told.push(alreadyStored)),
  };
}
