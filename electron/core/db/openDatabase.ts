import Database from 'better-sqlite3';
import { applyMigrations } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';

export interface OpenDatabaseOptions {
  /** Defaults to every migration of this build; tests pass older lists. */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the local store: WAL so readers never wait for the writer,
 * synchronous=NORMAL (durable across app crashes; an OS crash may lose the last commits),
 * foreign keys on, then the missing migrations.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
