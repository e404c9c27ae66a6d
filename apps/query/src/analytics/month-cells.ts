import type { MonthDoc } from './analytics.keys';

/** Sessions of one user on one machine in one country (ids still escaped), started in `hour` (0 in month cells). */
export interface Cell {
  hour: number;
  user: string;
  machine: string;
  country: string;
  sessions: number;
  minutes: number;
  /** `user~machine~country`, escaped: what tells cells apart within an hour or a month. */
  key: string;
}

/**
 * A whole month of a pool, decoded: its user~machine~country keys and their figures side by side.
 * Not a Cell per key: a year of a pool's months holds 20,000 keys and more, mostly the same few
 * thousand each month, and a report sums them per key before it needs cells (monthsCells), so
 * objects and split ids are made once per distinct key, not once per key and month.
 */
export interface MonthCells {
  keys: readonly string[];
  sessions: readonly number[];
  /** The minutes of the key's user~machine in the month (a user's sessions have one country). */
  minutes: readonly number[];
  /** The most seats in use sampled in it, 0 when none. */
  peakSampled: number;
}

export function decodeMonth(doc: Pick<MonthDoc, 'sessionsByUserMachineCountry' | 'minutesByUserMachine' | 'peakSampled'>): MonthCells {
  const sessionsByKey = doc.sessionsByUserMachineCountry ?? {};
  const minutesByUserMachine = doc.minutesByUserMachine ?? {};
  const keys: string[] = [];
  const sessions: number[] = [];
  const minutes: number[] = [];
  // for-in rather than Object.entries: no pair array per key.
  for (const key in sessionsByKey) {
    keys.push(key);
    sessions.push(sessionsByKey[key]);
    minutes.push(minutesByUserMachine[userMachineOf(key)] ?? 0);
  }
  return { keys, sessions, minutes, peakSampled: typeof doc.peakSampled === 'number' ? doc.peakSampled : 0 };
}

/**
 * The cells of whole months of one pool, which make rows of no day: one cell per user~machine~country,
 * its sessions and minutes summed over the months (the rows are the same as the months' cells would
 * make one by one: sessions and minutes add up, the users are the same).
 */
export function monthsCells(months: readonly MonthCells[]): Cell[] {
  if (months.length === 1) return cellsOf(months[0].keys, months[0].sessions, months[0].minutes);
  const at = new Map<string, number>();
  const keys: string[] = [];
  const sessions: number[] = [];
  const minutes: number[] = [];
  for (const month of months) {
    for (let i = 0; i < month.keys.length; i++) {
      const key = month.keys[i];
      const index = at.get(key);
      if (index === undefined) {
        at.set(key, keys.length);
        keys.push(key);
        sessions.push(month.sessions[i]);
        minutes.push(month.minutes[i]);
      } else {
        sessions[index] += month.sessions[i];
        minutes[index] += month.minutes[i];
      }
    }
  }
  return cellsOf(keys, sessions, minutes);
}

function cellsOf(keys: readonly string[], sessions: readonly number[], minutes: readonly number[]): Cell[] {
  const cells: Cell[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const [user, machine, country] = cellParts(keys[i]);
    cells[i] = { hour: 0, user, machine, country, sessions: sessions[i], minutes: minutes[i], key: keys[i] };
  }
  return cells;
}

/** user~machine of a `user~machine~country` key: cellParts' last part, without its array and three other slices (this runs for every key of every month decoded). */
function userMachineOf(key: string): string {
  const first = key.indexOf('~');
  const second = first < 0 ? -1 : key.indexOf('~', first + 1);
  return second < 0 ? key : key.slice(0, second);
}

/** user, machine, country and user~machine of a `user~machine~country` key (escaped ids hold no `~`). */
export function cellParts(key: string): [string, string, string, string] {
  const first = key.indexOf('~');
  const second = first < 0 ? -1 : key.indexOf('~', first + 1);
  if (second < 0) return first < 0 ? [key, '', '', key] : [key.slice(0, first), key.slice(first + 1), '', key];
  return [key.slice(0, first), key.slice(first + 1, second), key.slice(second + 1), key.slice(0, second)];
}
