import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh PostgreSQL database for one benchmark run, created beside the one DATABASE_URL
 * names (its role needs CREATEDB, as CI's has) and dropped afterwards, so a run never
 * reads or leaves data in a database someone else uses.
 */
export interface ScratchDatabase {
  /** DATABASE_URL for the server: the same server and role, the new database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `ruang_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw new Error(`could not create a scratch database (the role of DATABASE_URL needs CREATEDB): ${(error as Error).message}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        // FORCE (PostgreSQL 13+): a connection the server left behind must not keep it alive.
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
