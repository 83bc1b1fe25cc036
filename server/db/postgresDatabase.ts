import pg from 'pg';
import type { Database, Queryable } from './database';
import { listenOnPostgres } from './postgresListener';

export interface PostgresOptions {
  connectionString: string;
  /** Every connection uses this schema first (tests isolate themselves in one). */
  schema?: string;
  maxConnections?: number;
}

/** PostgreSQL through a `pg` pool: transactions run concurrently, one pooled connection each. */
export function openPostgresDatabase(options: PostgresOptions): Database {
  const startupOptions = options.schema ? `-c search_path=${checkedSchemaName(options.schema)}` : undefined;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    ...(startupOptions ? { options: startupOptions } : {}),
  });
  // An idle connection that dies (server restart) must not crash the process.
  pool.on('error', (error) => console.error('Ruang Redaksi server: PostgreSQL connection error:', error.message));

  const over = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });
  const direct = over(pool);
  return {
    engine: 'postgres',
    query: direct.query,
    exec: direct.exec,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        try {
          const value = await work(over(client));
          await client.query('COMMIT');
          return value;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      } finally {
        client.release();
      }
    },
    listen: (onPayload, onGap) => listenOnPostgres({ connectionString: options.connectionString, options: startupOptions }, onPayload, onGap),
    close: () => pool.end(),
  };
}

/** The name travels in the connection's startup options, unquoted: keep it a plain identifier. */
function checkedSchemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid PostgreSQL schema name "${name}"`);
  return name;
}
