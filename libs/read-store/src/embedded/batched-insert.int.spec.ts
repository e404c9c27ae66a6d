import Database from 'better-sqlite3';
import { BatchedInsert, prepareInsert, ROWS_PER_INSERT } from './batched-insert';

describe('BatchedInsert', () => {
  it.each([0, 1, ROWS_PER_INSERT - 1, ROWS_PER_INSERT, ROWS_PER_INSERT + 1, 3 * ROWS_PER_INSERT + 7])(
    'writes every one of %i rows, in full or partial groups',
    (count) => {
      const db = new Database(':memory:');
      try {
        db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, body TEXT)');
        const batch = new BatchedInsert(prepareInsert(db, 'OR REPLACE', 't', ['k', 'n', 'body']));
        db.transaction(() => {
          for (let i = 0; i < count; i++) {
            batch.push(`k${i}`);
            batch.push(i);
            batch.push(`body ${i}`);
            batch.endRow();
          }
          batch.finish();
        })();
        const rows = db.prepare<[], { k: string; n: number; body: string }>('SELECT k, n, body FROM t ORDER BY n').all();
        expect(rows).toEqual(Array.from({ length: count }, (_, i) => ({ k: `k${i}`, n: i, body: `body ${i}` })));
      } finally {
        db.close();
      }
    },
  );
});
