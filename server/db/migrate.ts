import { createHash } from 'node:crypto';
import type { Database, Queryable } from './database';
import type { Migration } from './migrations/types';

/** Thrown when the database was migrated by a different build: the server refuses to start. */
export class MigrationDivergenceError extends Error {
  override name = 'MigrationDivergenceError';
  constructor(
    message: string,
    readonly ids: string[],
  ) {
    super(message);
  }
}

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

interface AppliedRow {
  id: string;
  checksum: string;
}

/** Any fixed number: every server process on one PostgreSQL takes the same lock. */
const MIGRATION_LOCK_KEY = 7_402_615;

/**
 * Applies the migrations this database lacks, in one transaction, and returns their ids.
 * The recorded list must be a prefix of `migrations` with identical checksums; anything
 * else means another build wrote this database, and guessing would risk the newsroom's data.
 * On PostgreSQL an advisory lock makes servers starting together migrate one after another.
 */
export async function applyMigrations(db: Database, migrations: readonly Migration[], now: () => number = Date.now): Promise<string[]> {
  return db.transaction(async (tx) => {
    if (db.engine === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      position   integer PRIMARY KEY,
      id         text NOT NULL UNIQUE,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
    const applied = await readApplied(tx);
    checkPrefix(applied, migrations);
    const missing = migrations.slice(applied.length);
    for (const [offset, m] of missing.entries()) {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (position, id, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        applied.length + offset,
        m.id,
        migrationChecksum(m.sql),
        new Date(now()),
      ]);
    }
    return missing.map((m) => m.id);
  });
}

export function readApplied(db: Queryable): Promise<AppliedRow[]> {
  return db.query<AppliedRow>('SELECT id, checksum FROM schema_migrations ORDER BY position');
}

function checkPrefix(applied: AppliedRow[], migrations: readonly Migration[]): void {
  const unknown = applied.slice(migrations.length).map((a) => a.id);
  if (unknown.length > 0) {
    throw new MigrationDivergenceError(
      `The server database was migrated by a newer or different build: unknown applied migration(s) ${unknown.join(', ')}. Refusing to start.`,
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
      `The server database's applied migrations diverge from this build's: ${diverged.join(', ')}. Refusing to start.`,
      diverged,
    );
  }
}
