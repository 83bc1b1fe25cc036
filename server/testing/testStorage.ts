import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { StorageConfig } from '../db/openDatabase';

/**
 * Storage for tests: every server test runs against PGlite, and against PostgreSQL too
 * when DATABASE_URL is set (CI sets it). Each caller gets its own database: a copy of a
 * PGlite template, or a fresh PostgreSQL schema dropped again by `remove()`.
 */
export type Engine = StorageConfig['engine'];

export const ENGINES: readonly Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestStorage {
  config: StorageConfig;
  /** PGlite: the data directory (a fresh temporary one). */
  dataDir: string;
  remove(): Promise<void>;
}

const repo = resolve(__dirname, '../..');

function pgliteVersion(): string {
  const require = createRequire(join(repo, 'package.json'));
  const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/**
 * A PGlite data directory right after initdb (no tables). initdb takes seconds, a copy a
 * fraction of one, so it is made once per PGlite version and kept in node_modules/.cache;
 * parallel test workers wait for whichever one builds it.
 */
async function pgliteTemplate(): Promise<string> {
  const base = join(repo, 'node_modules', '.cache', 'ruang-server-pglite');
  const template = join(base, `template-${pgliteVersion()}`);
  if (existsSync(template)) return template;
  mkdirSync(base, { recursive: true });
  const lock = `${template}.lock`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (existsSync(template)) return template;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker builds it; a lock older than two minutes was left by a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (existsSync(template)) return template;
    const building = `${template}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const db = await PGlite.create({ dataDir: building });
    await db.close();
    renameSync(building, template);
    return template;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function createTestStorage(engine: Engine): Promise<TestStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rr-server-test-'));
  if (engine === 'pglite') {
    cpSync(await pgliteTemplate(), join(dataDir, 'pglite'), { recursive: true });
    return { config: { engine, dataDir }, dataDir, remove: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const url = process.env.DATABASE_URL!;
  const schema = `rr_test_${randomBytes(6).toString('hex')}`;
  await withClient(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    config: { engine, url, schema },
    dataDir,
    remove: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
