import { DistinctUsers } from './distinct-users';
import { seededRandom } from './testing/seeded-random';

describe('DistinctUsers', () => {
  it('counts a sole distinct list by its length', () => {
    const users = new DistinctUsers();
    expect(users.size).toBe(0);
    users.addDistinct(['a', 'b', 'c']);
    expect(users.size).toBe(3);
  });

  it('counts each user once across lists and single adds, whichever list is the longest', () => {
    const users = new DistinctUsers();
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
    const users = new DistinctUsers();
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
    const users = new DistinctUsers();
    users.addDistinct(list);
    users.add('c');
    users.addDistinct(['c', 'd']);
    expect(users.size).toBe(4);
    expect(list).toEqual(['a', 'b']);
  });

  it('counts as a Set of everything added does (random lists)', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const users = new DistinctUsers();
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
});
