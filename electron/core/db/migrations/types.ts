import type Database from 'better-sqlite3';

/** One forward-only schema step. Never edit a migration once it has shipped: add a new one. */
export interface Migration {
  /** Sortable and unique: 'YYYYMMDD_NNNN_name'. */
  id: string;
  /** Executed first; its checksum is what the store records (so say in it what `run` does). */
  sql: string;
  /**
   * A data step SQL cannot express (e.g. rewriting Yjs documents), run after `sql` inside
   * the same transaction as every other pending migration.
   */
  run?: (db: Database.Database) => void;
}
