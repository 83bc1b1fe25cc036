import { join } from 'node:path';
import type { Database } from './database';
import { lockDataDir, prepareDataDir, type DataDirLock } from './dataDir';
import { applyMigrations } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';
import { openPgliteDatabase } from './pgliteDatabase';
import { openPostgresDatabase } from './postgresDatabase';

export type StorageConfig =
  /** Embedded PGlite in `<dataDir>/pglite`. */
  | { engine: 'pglite'; dataDir: string }
  /** PostgreSQL; `schema` isolates a test run. */
  | { engine: 'postgres'; url: string; schema?: string };

export interface OpenedDatabase {
  db: Database;
  /** Migrations applied by this open (empty when the database was up to date). */
  applied: string[];
  /** Closes the database and releases the data directory. */
  close(): Promise<void>;
}

/** Opens storage and brings its schema up to date; throws MigrationDivergenceError on a foreign schema. */
export async function openDatabase(config: StorageConfig, migrations: readonly Migration[] = MIGRATIONS): Promise<OpenedDatabase> {
  let lock: DataDirLock | undefined;
  let db: Database;
  if (config.engine === 'pglite') {
    const dir = prepareDataDir(config.dataDir);
    lock = lockDataDir(dir);
    try {
      db = await openPgliteDatabase(join(dir, 'pglite'));
    } catch (error) {
      lock.release();
      throw error;
    }
  } else {
    db = openPostgresDatabase({ connectionString: config.url, schema: config.schema });
  }
  try {
    const applied = await applyMigrations(db, migrations);
    return {
      db,
      applied,
      async close() {
        try {
          await db.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
}
