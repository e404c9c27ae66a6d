import { BUCKETS_PER_DAY, dayStartMs, type DayDoc, unpackLevel } from './analytics.keys';

/** Sessions of one start cell: UTC hour, user, machine, country (ids still escaped). */
export interface Cell {
  hour: number;
  user: string;
  machine: string;
  country: string;
  sessions: number;
  minutes: number;
}

/** A day document decoded once for aggregation (see DayCache). */
export interface ParsedDay {
  day: string;
  dayStart: number;
  /** Position of the latest event in it. */
  position: number;
  sessions: number;
  minutes: number;
  users: readonly string[];
  cells: readonly Cell[];
  /** Most seats sampled per 10-minute bucket, -1 when none. */
  peaks: Int32Array;
  /** Level of the latest sample per bucket, -1 when none. */
  lastLevels: Int32Array;
  /** Level of the day's latest sample, -1 when none. */
  lastLevel: number;
}

export function parseDay(doc: DayDoc): ParsedDay {
  const cells = new Map<string, Cell>();
  const users = new Set<string>();
  let sessions = 0;
  let minutes = 0;
  for (const [key, count] of Object.entries(doc.cn ?? {})) {
    const [hour, user, machine, country] = key.split('~');
    cells.set(`${hour}~${user}~${machine}`, { hour: Number(hour), user, machine, country, sessions: count, minutes: 0 });
    users.add(user);
    sessions += count;
  }
  for (const [key, value] of Object.entries(doc.cm ?? {})) {
    const cell = cells.get(key);
    // Minutes of a session whose start this store never saw have no row to go to.
    if (!cell) continue;
    cell.minutes += value;
    minutes += value;
  }
  const peaks = new Int32Array(BUCKETS_PER_DAY).fill(-1);
  const lastLevels = new Int32Array(BUCKETS_PER_DAY).fill(-1);
  let latest = -1;
  for (let i = 0; i < BUCKETS_PER_DAY; i++) {
    const sampled = doc.b?.[`x${i}`];
    const packed = doc.l?.[`x${i}`];
    if (sampled !== undefined) peaks[i] = sampled;
    if (packed !== undefined) {
      lastLevels[i] = unpackLevel(packed);
      if (packed > latest) latest = packed;
    }
  }
  return {
    day: doc.day, dayStart: dayStartMs(doc.day), position: doc.p ?? 0, sessions, minutes, users: [...users], cells: [...cells.values()],
    peaks, lastLevels, lastLevel: latest < 0 ? -1 : unpackLevel(latest),
  };
}

/** Days of one UTC month folded together: what a report over whole months needs. */
export interface MonthRollup {
  sessions: number;
  minutes: number;
  users: ReadonlySet<string>;
  /** Cells without the hour: user~machine~country. */
  cells: readonly Cell[];
}

export function rollUp(days: readonly ParsedDay[]): MonthRollup {
  const users = new Set<string>();
  const cells = new Map<string, Cell>();
  let sessions = 0;
  let minutes = 0;
  for (const day of days) {
    sessions += day.sessions;
    minutes += day.minutes;
    for (const user of day.users) users.add(user);
    for (const cell of day.cells) {
      const key = `${cell.user}~${cell.machine}~${cell.country}`;
      const sum = cells.get(key);
      if (sum) {
        sum.sessions += cell.sessions;
        sum.minutes += cell.minutes;
      } else {
        cells.set(key, { ...cell, hour: 0 });
      }
    }
  }
  return { sessions, minutes, users, cells: [...cells.values()] };
}
