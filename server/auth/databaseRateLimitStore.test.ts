import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncResponse } from '../../shared/server-api/sync';
import type { Database, Queryable } from '../db/database';
import { ClientStory } from '../testing/httpClient';
import { openTestDatabase, startTestApp, tableCounts, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';
import { databaseRateLimitStore, RATE_LIMIT_SWEEP_INTERVAL_MS } from './databaseRateLimitStore';

/**
 * The login limits (10 attempts a minute per address and username, 120 per address) hold
 * across server processes sharing one database and across restarts: here two apps on one
 * test database stand for two processes (each with its own clock, moved together).
 */
describe.each(ENGINES)('login limits kept in the database on %s', (engine) => {
  let t: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  }, 120_000);
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.resetToDemo();
    a = await startTestApp(t.db);
    b = await startTestApp(t.db);
  }, 60_000);
  afterEach(() => vi.restoreAllMocks());

  const attempt = (app: TestApp, username: string, password = 'salah-sekali', remoteAddress?: string) =>
    app.app.inject({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username, password }), remoteAddress });
  const errorCode = (res: { json: () => unknown }) => (res.json() as { error: { code: string } }).error.code;
  const moveClocks = (ms: number) => {
    for (const app of [a, b]) app.clock.now += ms;
  };

  it('the 11th attempt for one user within a minute is refused whichever process gets it, even with the right password', async () => {
    for (let i = 0; i < 10; i++) expect((await attempt(i % 2 ? a : b, 'penulis3')).statusCode).toBe(401);
    for (const app of [a, b]) {
      const refused = await attempt(app, 'penulis3', 'redaksi123');
      expect([refused.statusCode, errorCode(refused)]).toEqual([429, 'rate_limited']);
      expect(Number(refused.headers['retry-after'])).toBe(60);
    }
    // Another user, from the same address, logs in through either.
    for (const app of [a, b]) expect((await attempt(app, 'penulis1', 'redaksi123')).statusCode).toBe(201);
  });

  it('the counters survive a restart of the server', async () => {
    for (let i = 0; i < 10; i++) expect((await attempt(a, 'penulis3')).statusCode).toBe(401);
    await a.app.close();
    await b.app.close();
    const restarted = await startTestApp(t.db);
    restarted.clock.now += 5_000;
    const refused = await attempt(restarted, 'penulis3', 'redaksi123');
    expect([refused.statusCode, errorCode(refused)]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers['retry-after'])).toBe(55);
  });

  it('once the window has passed, logins work again, and a new window counts from one', async () => {
    for (let i = 0; i < 10; i++) expect((await attempt(a, 'penulis3')).statusCode).toBe(401);
    moveClocks(30_000);
    const refused = await attempt(b, 'penulis3', 'redaksi123');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBe(30);
    moveClocks(30_000);
    expect((await attempt(b, 'penulis3', 'redaksi123')).statusCode).toBe(201);
    // The new window opened with that login: nine more attempts are allowed, not ten.
    for (let i = 0; i < 9; i++) expect((await attempt(i % 2 ? a : b, 'penulis3')).statusCode).toBe(401);
    expect((await attempt(a, 'penulis3')).statusCode).toBe(429);
  });

  it('the 121st attempt from one address within a minute is refused whichever process gets it; other addresses log in', async () => {
    // Unknown usernames, each tried once: only the per-address limit can stop them.
    for (let i = 0; i < 120; i++) expect((await attempt(i % 2 ? a : b, `tamu${i}`)).statusCode).toBe(401);
    const before = await tableCounts(t.db);
    for (const app of [a, b]) {
      const refused = await attempt(app, 'penulis1', 'redaksi123');
      expect([refused.statusCode, errorCode(refused)]).toEqual([429, 'rate_limited']);
      expect(Number(refused.headers['retry-after'])).toBe(60);
    }
    expect(await tableCounts(t.db)).toEqual(before);
    for (const app of [a, b]) expect((await attempt(app, 'penulis1', 'redaksi123', '10.1.2.3')).statusCode).toBe(201);
    moveClocks(60_000);
    expect((await attempt(a, 'penulis1', 'redaksi123')).statusCode).toBe(201);
  });

  it('rows of windows that have passed are deleted by a later attempt', async () => {
    await attempt(a, 'penulis3');
    const keys = async () => (await t.db.query<{ key: string }>('SELECT key FROM rate_limit_hits')).map((r) => r.key).sort();
    expect(await keys()).toEqual(['POST /auth/login|127.0.0.1|penulis3', 'login-address|127.0.0.1']);
    moveClocks(RATE_LIMIT_SWEEP_INTERVAL_MS);
    await attempt(a, 'penulis2', 'redaksi123', '10.1.2.3');
    expect(await keys()).toEqual(['POST /auth/login|10.1.2.3|penulis2', 'login-address|10.1.2.3']);
  });

  it('when attempts cannot be counted, a login is refused with 503 (fail closed) and nothing else is affected', async () => {
    const token = await a.login('penulis1');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A real failure of the database: the table is gone (renamed) while the servers run.
    await t.db.exec('ALTER TABLE rate_limit_hits RENAME TO rate_limit_hits_away');
    try {
      const before = await tableCounts(t.db);
      for (const app of [a, b]) {
        const refused = await attempt(app, 'penulis2', 'redaksi123');
        expect(refused.statusCode).toBe(503);
        expect(refused.json()).toEqual({ error: { code: 'unavailable', message: 'login attempts cannot be counted right now: try again shortly' } });
      }
      expect(await tableCounts(t.db)).toEqual(before);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('POST /auth/login failed'), expect.objectContaining({ cause: expect.anything() }));
      // Logged-in work does not count attempts, so it goes on.
      expect((await a.request('GET', '/auth/me', { token })).statusCode).toBe(200);
    } finally {
      await t.db.exec('ALTER TABLE rate_limit_hits_away RENAME TO rate_limit_hits');
    }
    expect((await b.request('POST', '/auth/login', { body: { username: 'penulis2', password: 'redaksi123' } })).statusCode).toBe(201);
  });

  it('a story sync runs no statement of the rate-limit store', async () => {
    const statements: string[] = [];
    const watch = (target: Queryable): Queryable => ({
      query: (sql, params) => {
        statements.push(sql);
        return target.query(sql, params);
      },
      exec: (sql) => {
        statements.push(sql);
        return target.exec(sql);
      },
    });
    const db = t.db;
    const watched: Database = {
      ...watch(db),
      engine: db.engine,
      transaction: (work) => db.transaction((tx) => work(watch(tx))),
      listen: (onPayload, onGap) => db.listen(onPayload, onGap),
      close: () => db.close(),
    };
    const app = await startTestApp(watched);
    const token = await app.login('penulis1');
    expect(statements.some((sql) => sql.includes('rate_limit_hits'))).toBe(true);
    statements.length = 0;
    const story = new ClientStory(randomUUID());
    story.doc.getText('probe').insert(0, 'Banjir rob');
    const res = await app.request('POST', '/sync', { token, body: { stories: [story.request()] } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SyncResponse).stories[0]).toMatchObject({ ok: true });
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((sql) => sql.includes('rate_limit_hits'))).toEqual([]);
  });

  it('continueExceeding: an attempt over the limit starts the window again', async () => {
    let now = Date.UTC(2026, 11, 1, 8, 0, 0);
    const app = Fastify();
    await app.register(rateLimit, { global: false, store: databaseRateLimitStore(t.db, () => now) });
    app.get('/coba', { config: { rateLimit: { max: 2, timeWindow: 10_000, continueExceeding: true } } }, async () => 'ok');
    try {
      const status = async () => (await app.inject({ method: 'GET', url: '/coba' })).statusCode;
      expect([await status(), await status()]).toEqual([200, 200]);
      now += 5_000;
      expect(await status()).toBe(429); // over the limit: a new 10 s window from here
      now += 7_000; // the first window would have ended 2 s ago
      expect(await status()).toBe(429);
      now += 10_000;
      expect(await status()).toBe(200);
    } finally {
      await app.close();
    }
  });
});
