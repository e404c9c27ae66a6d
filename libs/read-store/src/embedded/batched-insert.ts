import type Database from 'better-sqlite3';

/** Rows one multi-row INSERT writes: one call into the native binding and one statement reset per 64 rows instead of per row (a rebuild inserts a history document and its index entry per event). */
export const ROWS_PER_INSERT = 64;

type Statement = Database.Statement<unknown[], unknown>;

/** The two statements of an INSERT into one table: one row, and ROWS_PER_INSERT rows. */
export interface InsertStatements {
  one: Statement;
  many: Statement;
  /** Values per row. */
  width: number;
}

/** `INSERT <verb> INTO table (columns) VALUES (...)`, for one row and for ROWS_PER_INSERT rows. */
export function prepareInsert(db: Database.Database, verb: 'OR REPLACE' | 'OR IGNORE', table: string, columns: readonly string[]): InsertStatements {
  const row = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT ${verb} INTO ${table} (${columns.join(', ')}) VALUES `;
  return {
    one: db.prepare(head + row),
    many: db.prepare(head + Array.from({ length: ROWS_PER_INSERT }, () => row).join(', ')),
    width: columns.length,
  };
}

/**
 * Rows to insert, written ROWS_PER_INSERT at a time as they come and the rest by
 * finish(). For rows that cannot collide with one another (distinct keys): their order
 * does not matter. Used inside one transaction, and dropped with it.
 */
export class BatchedInsert {
  /** The values of up to ROWS_PER_INSERT rows; `filled` of them set (an array of fixed length: bound as it is when full). */
  private readonly values: unknown[];
  private filled = 0;

  constructor(private readonly statements: InsertStatements) {
    this.values = new Array<unknown>(statements.width * ROWS_PER_INSERT).fill(null);
  }

  /** The next value of the current row, in column order. */
  push(value: unknown): void {
    this.values[this.filled++] = value;
  }

  /** The current row is complete: written with the rows before it once there are ROWS_PER_INSERT. */
  endRow(): void {
    if (this.filled < this.values.length) return;
    this.statements.many.run(this.values);
    this.filled = 0;
  }

  finish(): void {
    const { one, width } = this.statements;
    for (let i = 0; i < this.filled; i += width) one.run(this.values.slice(i, i + width));
    this.filled = 0;
  }
}
