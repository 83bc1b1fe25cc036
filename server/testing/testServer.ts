import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../app';
import type { Database } from '../db/database';
import { openDatabase, type OpenedDatabase } from '../db/openDatabase';
import { seedDemo } from '../demo/seedDemo';
import { DEMO_PASSWORD } from '../demo/demoData';
import type { ScryptCost } from '../auth/password';
import { createTestStorage, type Engine, type TestStorage } from './testStorage';

/**
 * Tests hash passwords at a low scrypt cost: at the production cost every login costs
 * tens of milliseconds (hundreds on a loaded machine). password.test.ts covers the real cost.
 */
export const TEST_PASSWORD_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

/** A migrated database of one engine for a whole test file; `reset()` empties it between tests. */
export interface TestDatabase {
  engine: Engine;
  db: Database;
  storage: TestStorage;
  /** Back to a freshly migrated database with the demo newsroom seeded. */
  resetToDemo(): Promise<void>;
  close(): Promise<void>;
}

/** In foreign-key order. */
const SAVED_TABLES = ['users', 'rubrik', 'redaktur_rubrik', 'server_meta'] as const;

export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  const storage = await createTestStorage(engine);
  let opened: OpenedDatabase;
  try {
    opened = await openDatabase(storage.config);
  } catch (error) {
    await storage.remove();
    throw error;
  }
  const { db } = opened;
  let saved = false;
  return {
    engine,
    db,
    storage,
    async resetToDemo() {
      // CASCADE: tables that refer to stories or users (workflow, photos) empty with them.
      // Login attempts too: every test's app starts at the same clock time, in one window.
      await db.exec(`TRUNCATE photo_files, photos, story_updates, stories, sessions, redaktur_rubrik, rubrik, users, rate_limit_hits CASCADE; DELETE FROM server_meta;`);
      if (!saved) {
        // Seed once, keep a copy; later resets restore the copy in a few statements.
        await db.exec("INSERT INTO server_meta (key, value) VALUES ('directory_version', '1')");
        await seedDemo(db, { passwordCost: TEST_PASSWORD_COST });
        await db.exec(SAVED_TABLES.map((table) => `CREATE TABLE saved_${table} AS SELECT * FROM ${table};`).join('\n'));
        saved = true;
        return;
      }
      await db.exec(SAVED_TABLES.map((table) => `INSERT INTO ${table} SELECT * FROM saved_${table};`).join('\n'));
    },
    async close() {
      // Apps hold a listening connection on the database: close them first.
      await Promise.all([...startedApps].map((a) => a.close().catch(() => undefined)));
      startedApps.clear();
      await opened.close();
      await storage.remove();
    },
  };
}

/** Counts of every account table: a refused request must leave them all unchanged. */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const [row] = await db.query<Record<string, number>>(`SELECT
    (SELECT count(*)::int FROM users) AS users,
    (SELECT count(*)::int FROM sessions) AS sessions,
    (SELECT count(*)::int FROM rubrik) AS rubrik,
    (SELECT count(*)::int FROM redaktur_rubrik) AS redaktur_rubrik,
    (SELECT count(*)::int FROM stories) AS stories,
    (SELECT count(*)::int FROM story_updates) AS story_updates,
    (SELECT value FROM server_meta WHERE key = 'directory_version')::int AS directory_version`);
  return row!;
}

/** Every app a test started and has not closed; closed with its test database. */
const startedApps = new Set<FastifyInstance>();

/** A Fastify app on a test database, driven with inject() (no socket), with a movable clock. */
export interface TestApp {
  app: FastifyInstance;
  clock: { now: number };
  request(method: string, url: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Logs a demo account in; returns its token. */
  login(username: string, password?: string): Promise<string>;
}

export async function startTestApp(db: Database, options: Omit<AppOptions, 'db' | 'now'> = {}): Promise<TestApp> {
  const clock = { now: Date.UTC(2026, 11, 1, 8, 0, 0) };
  const app = await buildApp({ passwordCost: TEST_PASSWORD_COST, ...options, db, now: () => clock.now });
  startedApps.add(app);
  app.addHook('onClose', async () => void startedApps.delete(app));
  const request: TestApp['request'] = (method, url, opts = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined || opts.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      ...(opts.rawBody !== undefined ? { payload: opts.rawBody } : opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
    });
  return {
    app,
    clock,
    request,
    async login(username, password = DEMO_PASSWORD) {
      const res = await request('POST', '/auth/login', { body: { username, password } });
      if (res.statusCode !== 201) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return (res.json() as { token: string }).token;
    },
  };
}
