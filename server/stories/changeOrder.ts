import type { Database, Queryable } from '../db/database';

/**
 * Change numbers (`stories.change_seq`) and the order readers see them in.
 *
 * The changes feed hands out cursors, so a reader must never see a change number while a
 * smaller one is still uncommitted: it would move its cursor past the smaller one and
 * never see that change. Numbers come from a sequence, so they are drawn in order but
 * transactions commit in any order.
 *
 * How it is kept (PostgreSQL; PGlite runs one transaction at a time, so nothing is in
 * flight while it reads):
 *
 * - Writers draw the number with NEXT_CHANGE_SEQ inside the INSERT or UPDATE of `stories`
 *   that stores it. That statement takes the table's ROW EXCLUSIVE lock before it runs
 *   (PostgreSQL locks a statement's target table when it plans it) and the transaction
 *   holds it until it has committed or rolled back. So from before a number is drawn
 *   until its transaction ends, the writer holds ROW EXCLUSIVE on `stories`. Writers do
 *   not wait for one another: ROW EXCLUSIVE does not conflict with itself.
 * - Readers of the feed (`inChangeOrder`) take SHARE on `stories` in a transaction and
 *   read after it is granted. SHARE conflicts with ROW EXCLUSIVE, so it is granted only
 *   once every transaction that had drawn a number has ended, and no transaction can
 *   draw one while the reader holds it. The reader's query takes its snapshot then: every
 *   number drawn so far is committed (PostgreSQL releases locks only after the commit is
 *   visible) or rolled back (a gap no one will fill), and every later number is larger
 *   than any it sees. Readers do not wait for one another: SHARE does not conflict with
 *   itself.
 *
 * This replaced a transaction-level advisory lock that every writer took before drawing
 * its number and held through its commit: correct, but it made all writers of the
 * server commit one at a time. Now only a feed read waits, for the writers in flight at
 * that moment, and new writers wait only for the feed reads holding SHARE (one query each).
 *
 * Rules for code that changes a story's change number: draw it only with
 * NEXT_CHANGE_SEQ inside the INSERT or UPDATE of `stories` that stores it (never
 * `SELECT nextval(...)` first, which would draw it before the lock is held), and do the
 * slow work before that statement, since the lock is held from it to the commit.
 *
 * One thing besides writers takes a lock SHARE conflicts with: (auto)VACUUM and ANALYZE
 * of `stories` (SHARE UPDATE EXCLUSIVE). Autovacuum gives way to a waiting lock after
 * deadlock_timeout (1 s by default), so a feed read may rarely wait that long.
 */
export const NEXT_CHANGE_SEQ = "nextval('story_change_seq')";

/** Runs `read` so that no change number below what it sees is still uncommitted (see above). */
export async function inChangeOrder<T>(db: Database, read: (q: Queryable) => Promise<T>): Promise<T> {
  if (db.engine !== 'postgres') return read(db);
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE stories IN SHARE MODE');
    return read(tx);
  });
}
