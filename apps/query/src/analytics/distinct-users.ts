/**
 * Counts the distinct ids of several lists without a Set per count: each id gets a number the
 * first time the tally meets it, and a count stamps the numbers it meets, so an id is one map
 * lookup per list it is in. A report shares one tally among its rows: a year of rows by DAY
 * spanning products is 365 counts over ten lists of hundreds of users, and a Set per row (grown
 * and rehashed as it filled) was twice the time of the lookups.
 */
export class UserTally {
  private readonly numbers = new Map<string, number>();
  private stamps = new Uint32Array(1024);
  private stamp = 0;

  /** How many distinct ids the lists and `more` hold together. */
  distinct(lists: readonly (readonly string[])[], more: Iterable<string>): number {
    const stamp = ++this.stamp;
    let count = 0;
    for (const list of lists) for (let i = 0; i < list.length; i++) count += this.mark(list[i], stamp);
    for (const id of more) count += this.mark(id, stamp);
    return count;
  }

  /** 1 if the id was not stamped yet in this count (stamping it), else 0. */
  private mark(id: string, stamp: number): number {
    let number = this.numbers.get(id);
    if (number === undefined) {
      number = this.numbers.size;
      this.numbers.set(id, number);
      if (number >= this.stamps.length) {
        const grown = new Uint32Array(this.stamps.length * 2);
        grown.set(this.stamps);
        this.stamps = grown;
      }
    }
    if (this.stamps[number] === stamp) return 0;
    this.stamps[number] = stamp;
    return 1;
  }
}

/**
 * The distinct (escaped) ids of a report row's users, counted when asked. Lists that hold no id
 * twice (a day's users in one country) are kept as they are, not copied: a row of one such list
 * counts its length; of several, the row's tally counts them. Users added one by one get a Set
 * from the second distinct one (a row by USER has one).
 */
export class DistinctUsers {
  private lists: (readonly string[])[] | null = null;
  private first: string | null = null;
  private set: Set<string> | null = null;
  private counted = -1;

  /** `tally`: shared by the rows of a report (its numbers are reused from row to row). */
  constructor(private readonly tally: UserTally) {}

  /** `users` must hold no id twice; it is kept, not copied (the caller does not change it). */
  addDistinct(users: readonly string[]): void {
    if (users.length === 0) return;
    (this.lists ??= []).push(users);
    this.counted = -1;
  }

  add(user: string): void {
    if (this.set !== null) this.set.add(user);
    else if (this.first === null) this.first = user;
    else if (this.first !== user) this.set = new Set([this.first, user]);
    this.counted = -1;
  }

  get size(): number {
    if (this.counted < 0) this.counted = this.count();
    return this.counted;
  }

  private count(): number {
    const single = this.set === null ? (this.first === null ? 0 : 1) : this.set.size;
    const lists = this.lists;
    if (lists === null) return single;
    if (lists.length === 1 && single === 0) return lists[0].length;
    return this.tally.distinct(lists, this.set ?? (this.first === null ? [] : [this.first]));
  }
}
