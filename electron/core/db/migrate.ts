import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Migration } from './migrations/types';

/** Thrown when the database was migrated by a different build: core refuses to start. */
export class MigrationDivergenceError extends Error {
  readonly ids: string[];
  constructor(message: string, ids: string[]) {
    super(message);
    this.name = 'MigrationDivergenceError';
    this.ids = ids;
  }
}

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

interface AppliedRow {
  id: string;
  checksum: string;
}

/**
 * Applies the migrations this database lacks, in one transaction, and returns their ids.
 * The recorded list must be a prefix of `migrations` with identical checksums; anything
 * else means another build wrote this database, and guessing would risk the user's work.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[], now: () => number = Date.now): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id         TEXT PRIMARY KEY,
    checksum   TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = db.prepare('SELECT id, checksum FROM schema_migrations ORDER BY rowid').all() as AppliedRow[];
  checkPrefix(applied, migrations);

  const missing = migrations.slice(applied.length);
  if (missing.length === 0) return [];
  const record = db.prepare('INSERT INTO schema_migrations (id, checksum, applied_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const m of missing) {
      db.exec(m.sql);
      m.run?.(db);
      record.run(m.id, migrationChecksum(m.sql), now());
    }
  })();
  return missing.map((m) => m.id);
}

function checkPrefix(applied: AppliedRow[], migrations: readonly Migration[]): void {
  const unknown = applied.slice(migrations.length).map((a) => a.id);
  if (unknown.length > 0) {
    throw new MigrationDivergenceError(
      `The local database was migrated by a newer or different build: unknown applied migration(s) ${unknown.join(', ')}. Refusing to start.`,
      unknown,
    );
  }
  const diverged: string[] = [];
  applied.forEach((a, i) => {
    const m = migrations[i]!;
    if (a.id !== m.id || a.checksum !== migrationChecksum(m.sql)) diverged.push(a.id === m.id ? a.id : `${a.id} (expected ${m.id})`);
  });
  if (diverged.length > 0) {
    throw new MigrationDivergenceError(
      `The local database's applied migrations diverge from this build's: ${diverged.join(', ')}. Refusing to start.`,
      diverged,
    );
  }
}
