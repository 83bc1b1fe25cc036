/**
 * The server's storage, whichever engine holds it: PGlite (embedded, one data directory)
 * or PostgreSQL (through `pg`). Both speak the same SQL with `$1` parameters; what differs
 * is concurrency, which the implementations hide.
 *
 * Portability rules for SQL written against this interface: cast counts and other int8
 * results to `::int` (pg returns int8 as a string, PGlite as a number); timestamps are
 * `timestamptz` and come back as Date on both.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs statements separated by `;` without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it
   * throws. Inside, use only `tx`: on PGlite the database is busy until `work` ends, so a
   * query on the outer Database would wait for itself.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Hears this database's change notifications (NOTIFY on the channel `publishChange`
   * uses), from every server process sharing it. `onGap` is called when notifications
   * may have been missed (the listening link was lost and is back): listeners should
   * assume anything changed. Returns a function that stops listening.
   */
  listen(onPayload: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
