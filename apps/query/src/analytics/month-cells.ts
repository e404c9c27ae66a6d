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

/** A whole month of a pool, decoded. */
export interface MonthCells {
  cells: readonly Cell[];
  /** The most seats in use sampled in it, 0 when none. */
  peakSampled: number;
}

export function decodeMonth(doc: Pick<MonthDoc, 'sessionsByUserMachineCountry' | 'minutesByUserMachine' | 'peakSampled'>): MonthCells {
  return { cells: monthCells(doc), peakSampled: typeof doc.peakSampled === 'number' ? doc.peakSampled : 0 };
}

/** A month document's cells: one per user~machine~country, with the minutes of its user~machine (a user's sessions have one country). */
export function monthCells(doc: Pick<MonthDoc, 'sessionsByUserMachineCountry' | 'minutesByUserMachine'>): Cell[] {
  const sessions = doc.sessionsByUserMachineCountry ?? {};
  const minutes = doc.minutesByUserMachine ?? {};
  const cells: Cell[] = [];
  // for-in and slices rather than Object.entries and split (a year of a pool's months holds 20,000 keys and more).
  for (const key in sessions) {
    const [user, machine, country, userMachine] = cellParts(key);
    cells.push({ hour: 0, user, machine, country, sessions: sessions[key], minutes: minutes[userMachine] ?? 0, key });
  }
  return cells;
}

/** user, machine, country and user~machine of a `user~machine~country` key (escaped ids hold no `~`). */
export function cellParts(key: string): [string, string, string, string] {
  const first = key.indexOf('~');
  const second = first < 0 ? -1 : key.indexOf('~', first + 1);
  if (second < 0) return first < 0 ? [key, '', '', key] : [key.slice(0, first), key.slice(first + 1), '', key];
  return [key.slice(0, first), key.slice(first + 1, second), key.slice(second + 1), key.slice(0, second)];
}

/**
 * The cells of several lists that make rows of the same day (whole months of one pool), summed per
 * user~machine~country: the rows are the same as the lists' (sessions and minutes add up, the users
 * are the same), built from a cell per key instead of one per key and month.
 */
export function sumCells(lists: readonly (readonly Cell[])[]): readonly Cell[] {
  if (lists.length === 1) return lists[0];
  const byKey = new Map<string, Cell>();
  for (const list of lists) {
    for (const cell of list) {
      const sum = byKey.get(cell.key);
      if (sum) {
        sum.sessions += cell.sessions;
        sum.minutes += cell.minutes;
      } else byKey.set(cell.key, { ...cell });
    }
  }
  return [...byKey.values()];
}
