/**
 * The distinct (escaped) ids of a report row's users, counted when asked. Lists that hold no id
 * twice (a day's users in one country) are kept as they are, not copied into a Set: a year of rows
 * by DAY is 1,825 days of hundreds of users, and a Set of each was most of such a report's time
 * and garbage. A row of one list counts its length; of several, the longest is only looked up in
 * a Set of the others (lookups cost less than inserts). Users added one by one get a Set from the
 * second distinct one (a row by USER has one).
 */
export class DistinctUsers {
  private lists: (readonly string[])[] | null = null;
  private first: string | null = null;
  private set: Set<string> | null = null;
  private counted = -1;

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
    let longest = 0;
    for (let i = 1; i < lists.length; i++) if (lists[i].length > lists[longest].length) longest = i;
    const others = new Set(this.set ?? (this.first === null ? [] : [this.first]));
    for (let i = 0; i < lists.length; i++) if (i !== longest) for (const user of lists[i]) others.add(user);
    let count = others.size;
    for (const user of lists[longest]) if (!others.has(user)) count++;
    return count;
  }
}
