import { DistinctUsers, UserTally } from './distinct-users';
import { seededRandom } from './testing/seeded-random';

describe('DistinctUsers', () => {
  it('counts a sole distinct list by its length', () => {
    const users = new DistinctUsers(new UserTally());
    expect(users.size).toBe(0);
    users.addDistinct(['a', 'b', 'c']);
    expect(users.size).toBe(3);
  });

  it('counts each user once across lists and single adds, whichever list is the longest', () => {
    const users = new DistinctUsers(new UserTally());
    users.addDistinct(['a', 'b']);
    users.addDistinct(['b', 'c', 'e']);
    expect(users.size).toBe(4);
    users.add('a');
    users.add('d');
    expect(users.size).toBe(5);
    users.addDistinct(['f']);
    expect(users.size).toBe(6);
  });

  it('counts single users without a list, the same user twice once', () => {
    const users = new DistinctUsers(new UserTally());
    users.add('a');
    users.add('a');
    expect(users.size).toBe(1);
    users.add('b');
    users.add('a');
    expect(users.size).toBe(2);
    users.addDistinct(['b']);
    expect(users.size).toBe(2);
    users.addDistinct(['c']);
    expect(users.size).toBe(3);
  });

  it('does not change the lists it keeps', () => {
    const list = ['a', 'b'];
    const users = new DistinctUsers(new UserTally());
    users.addDistinct(list);
    users.add('c');
    users.addDistinct(['c', 'd']);
    expect(users.size).toBe(4);
    expect(list).toEqual(['a', 'b']);
  });

  it('counts as a Set of everything added does (random lists)', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const users = new DistinctUsers(new UserTally());
      const all = new Set<string>();
      for (let n = Math.floor(random() * 6); n > 0; n--) {
        if (random() < 0.3) {
          const user = `u${Math.floor(random() * 40)}`;
          users.add(user);
          all.add(user);
        } else {
          const list = [...new Set(Array.from({ length: Math.floor(random() * 30) }, () => `u${Math.floor(random() * 40)}`))];
          users.addDistinct(list);
          for (const user of list) all.add(user);
        }
      }
      expect(users.size).toBe(all.size);
    }
  });

  it('counts right when the rows of a report share one tally, counted in any order and again', () => {
    const random = seededRandom(11);
    const tally = new UserTally();
    const rows = Array.from({ length: 40 }, () => ({ users: new DistinctUsers(tally), all: new Set<string>() }));
    // More ids than the tally's first 1,024 numbers, so that its stamps grow.
    for (const row of rows) {
      for (let n = 1 + Math.floor(random() * 5); n > 0; n--) {
        const list = [...new Set(Array.from({ length: Math.floor(random() * 80) }, () => `u${Math.floor(random() * 3000)}`))];
        row.users.addDistinct(list);
        for (const user of list) row.all.add(user);
        if (random() < 0.3) {
          const user = `u${Math.floor(random() * 3000)}`;
          row.users.add(user);
          row.all.add(user);
        }
      }
    }
    for (const row of [...rows].reverse()) expect(row.users.size).toBe(row.all.size);
    rows[3].users.addDistinct(['u0', 'u1', 'new-one']);
    for (const user of ['u0', 'u1', 'new-one']) rows[3].all.add(user);
    for (const row of rows) expect(row.users.size).toBe(row.all.size);
  });
});
