import type Database from 'better-sqlite3';

export interface StoredDoc {
  snapshot: Uint8Array | null;
  /** Updates after the snapshot, in order. */
  updates: Uint8Array[];
  lastSeq: number;
}

/**
 * A story document on disk: an optional snapshot (every update up to `up_to_seq`, merged)
 * plus the log of updates after it.
 */
export class DocLog {
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      snapshot: db.prepare('SELECT state, up_to_seq FROM doc_snapshots WHERE story_row_id = ?'),
      tail: db.prepare('SELECT seq, data FROM doc_updates WHERE story_row_id = ? AND seq > ? ORDER BY seq'),
      append: db.prepare('INSERT INTO doc_updates (story_row_id, seq, data, created_at) VALUES (?, ?, ?, ?)'),
      upsertSnapshot: db.prepare(
        `INSERT INTO doc_snapshots (story_row_id, state, up_to_seq, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (story_row_id) DO UPDATE SET state = excluded.state, up_to_seq = excluded.up_to_seq, created_at = excluded.created_at`,
      ),
      trim: db.prepare('DELETE FROM doc_updates WHERE story_row_id = ? AND seq <= ?'),
    };
  }

  load(rowId: number): StoredDoc {
    const snap = this.stmts.snapshot.get(rowId) as { state: Buffer; up_to_seq: number } | undefined;
    const after = snap?.up_to_seq ?? 0;
    const rows = this.stmts.tail.all(rowId, after) as { seq: number; data: Buffer }[];
    return {
      snapshot: snap ? new Uint8Array(snap.state) : null,
      updates: rows.map((r) => new Uint8Array(r.data)),
      lastSeq: rows.length > 0 ? rows[rows.length - 1]!.seq : after,
    };
  }

  /** Appends one update as `seq`; the caller wraps it with its other writes in a transaction. */
  append(rowId: number, seq: number, update: Uint8Array, now: number): void {
    this.stmts.append.run(rowId, seq, update, now);
  }

  /** Replaces the snapshot with `state` (= every update up to `upToSeq`) and drops those log rows, atomically. */
  compact(rowId: number, state: Uint8Array, upToSeq: number, now: number): void {
    this.db.transaction(() => {
      this.stmts.upsertSnapshot.run(rowId, state, upToSeq, now);
      this.stmts.trim.run(rowId, upToSeq);
    })();
  }
}
