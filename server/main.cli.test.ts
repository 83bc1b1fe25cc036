import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryResponse, LoginResponse } from '../shared/server-api/schemas';
import { MIGRATIONS } from './db/migrations';
import { openDatabase } from './db/openDatabase';
import { createTestStorage, type TestStorage } from './testing/testStorage';

/**
 * `npm run server` for real: the command package.json runs (build/scripts/run-server.mjs,
 * which rebuilds dist/server/main.js when a source is newer), in its own process, stopped
 * with SIGTERM. The data directory starts as a copy of the initdb template (a fresh
 * directory's initdb alone takes seconds).
 */
const repo = resolve(__dirname, '..');
const LAUNCHER = 'build/scripts/run-server.mjs';

const pgliteEnv = () => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return env;
};

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function launch(args: string[], env: NodeJS.ProcessEnv = pgliteEnv()): Started {
  const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

const LINE = /^Ruang Redaksi server: http:\/\/127\.0\.0\.1:(\d+)\n$/;

/** Resolves with the origin once the line is printed; rejects if the process exits first. */
async function ready(started: Started): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const check = () => {
      const m = LINE.exec(started.stdout());
      if (m) resolvePromise(`http://127.0.0.1:${m[1]}`);
    };
    started.child.stdout!.on('data', check);
    void started.exit.then((code) => reject(new Error(`server exited ${code} before ready: ${started.stderr()}`)));
  });
}

async function login(origin: string, username: string): Promise<string> {
  const res = await fetch(`${origin}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'redaksi123' }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as LoginResponse).token;
}

describe('npm run server (real process)', () => {
  let storage: TestStorage;
  beforeAll(async () => {
    storage = await createTestStorage('pglite');
  }, 120_000);
  afterAll(async () => storage?.remove());

  it('is what package.json runs', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.server).toBe(`node ${LAUNCHER}`);
  });

  it('prints its address once it serves, serves the demo newsroom, exits 0 on SIGTERM and keeps its data', async () => {
    const first = launch(['--port', '0', '--data', storage.dataDir, '--demo']);
    const origin = await ready(first);
    const token = await login(origin, 'redaktur2');
    const directory = (await (await fetch(`${origin}/directory`, { headers: { authorization: `Bearer ${token}` } })).json()) as DirectoryResponse;
    expect(directory.rubrik.map((r) => r.path)).toContain('Ekonomi › Industri › Otomotif');
    expect((await fetch(`${origin}/directory`)).status).toBe(401);

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.stdout()).toMatch(LINE);
    await expect(fetch(`${origin}/health`)).rejects.toThrow();

    // Restarted without --demo on the same data: the accounts and the session are still there.
    const second = launch([`--data=${storage.dataDir}`, '--port=0']);
    const origin2 = await ready(second);
    expect((await fetch(`${origin2}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  }, 120_000);

  // Like every server test, the PostgreSQL case exists where DATABASE_URL is set (CI).
  if (process.env.DATABASE_URL)
    it('uses PostgreSQL when DATABASE_URL is set', async () => {
    const pgStorage = await createTestStorage('postgres');
    try {
      const config = pgStorage.config as { url: string; schema: string };
      const url = new URL(config.url);
      url.searchParams.set('options', `-c search_path=${config.schema}`);
      const started = launch(['--port', '0', '--data', pgStorage.dataDir, '--demo'], { ...process.env, DATABASE_URL: url.href });
      const origin = await ready(started);
      await login(origin, 'penulis2');
      started.child.kill('SIGTERM');
      expect(await started.exit).toBe(0);
      // The accounts went to PostgreSQL, not to a PGlite directory.
      expect(existsSync(join(pgStorage.dataDir, 'pglite'))).toBe(false);
      const opened = await openDatabase(pgStorage.config);
      expect(await opened.db.query("SELECT username FROM users WHERE username = 'penulis2'")).toHaveLength(1);
      await opened.close();
    } finally {
      await pgStorage.remove();
    }
  }, 120_000);

  it('fails clearly (exit 1, one message) on bad arguments, an unusable or busy data directory', async () => {
    const run = async (args: string[]) => {
      const started = launch(args);
      const code = await started.exit;
      return { code, err: started.stderr() };
    };
    expect(await run(['--port', 'abc', '--data', storage.dataDir])).toMatchObject({ code: 1, err: expect.stringContaining('--port must be an integer') });
    expect(await run(['--port', '70000', '--data', storage.dataDir])).toMatchObject({ code: 1, err: expect.stringContaining('--port must be an integer') });
    expect(await run(['--bogus', '--data', storage.dataDir])).toMatchObject({ code: 1, err: expect.stringContaining("Unknown option '--bogus'") });
    expect(await run(['--port', '0'])).toMatchObject({ code: 1, err: expect.stringContaining('--data DIR is required') });
    writeFileSync(join(storage.dataDir, 'not-a-dir'), 'x');
    expect(await run(['--data', join(storage.dataDir, 'not-a-dir', 'nested')])).toMatchObject({ code: 1, err: expect.stringContaining('is not usable') });

    const holder = launch(['--port', '0', '--data', storage.dataDir]);
    const origin = await ready(holder);
    const port = new URL(origin).port;
    expect(await run(['--port', '0', '--data', storage.dataDir])).toMatchObject({ code: 1, err: expect.stringContaining('in use by another Ruang Redaksi server') });
    const other = await createTestStorage('pglite');
    expect(await run(['--port', port, '--data', other.dataDir])).toMatchObject({ code: 1, err: expect.stringContaining('port is already in use') });
    await other.remove();
    holder.child.kill('SIGTERM');
    expect(await holder.exit).toBe(0);
  }, 120_000);

  it('--create-admin USERNAME makes the first admin from RUANG_ADMIN_PASSWORD, once; clear errors otherwise', async () => {
    const fresh = await createTestStorage('pglite');
    try {
      const run = async (args: string[], password?: string) => {
        const env = pgliteEnv();
        delete env.RUANG_ADMIN_PASSWORD;
        if (password !== undefined) env.RUANG_ADMIN_PASSWORD = password;
        const started = launch(['--port', '0', '--data', fresh.dataDir, ...args], env);
        return started;
      };
      const failed = async (started: Started) => ({ code: await started.exit, err: started.stderr() });
      const loginAs = async (origin: string, username: string, password: string) =>
        fetch(`${origin}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

      expect(await failed(await run(['--create-admin', 'kepala']))).toMatchObject({ code: 1, err: expect.stringContaining('RUANG_ADMIN_PASSWORD') });
      expect(await failed(await run(['--create-admin', 'kepala'], 'short'))).toMatchObject({ code: 1, err: expect.stringContaining('8 to 200 characters') });
      expect(await failed(await run(['--create-admin', 'Bad Name!'], 'rahasia-sekali'))).toMatchObject({ code: 1, err: expect.stringContaining('not a valid username') });

      const first = await run(['--create-admin', 'kepala'], 'rahasia-sekali');
      const origin = await ready(first);
      expect(first.stderr()).toContain('Ruang Redaksi server: admin "kepala" created');
      const login = await loginAs(origin, 'kepala', 'rahasia-sekali');
      expect(login.status).toBe(201);
      expect(((await login.json()) as LoginResponse).user).toMatchObject({ username: 'kepala', role: 'admin' });
      first.child.kill('SIGTERM');
      expect(await first.exit).toBe(0);

      // Again, with another password in the environment: nothing changes.
      const again = await run(['--create-admin', 'kepala'], 'password-lain');
      const origin2 = await ready(again);
      expect(again.stderr()).toContain('already exists; left as it is (password unchanged)');
      expect((await loginAs(origin2, 'kepala', 'rahasia-sekali')).status).toBe(201);
      expect((await loginAs(origin2, 'kepala', 'password-lain')).status).toBe(401);
      again.child.kill('SIGTERM');
      expect(await again.exit).toBe(0);

      // An existing account that is not an admin is never promoted behind anyone's back.
      expect(await failed(await run(['--demo', '--create-admin', 'penulis1'], 'rahasia-sekali'))).toMatchObject({
        code: 1,
        err: expect.stringContaining('"penulis1" exists with the role penulis'),
      });
    } finally {
      await fresh.remove();
    }
  }, 180_000);

  it('refuses to start on a database migrated by another build', async () => {
    const diverged = await createTestStorage('pglite');
    const opened = await openDatabase(diverged.config, [...MIGRATIONS, { id: '20991231_0001_future', sql: 'CREATE TABLE future (id integer);' }]);
    await opened.close();
    const started = launch(['--port', '0', '--data', diverged.dataDir]);
    expect(await started.exit).toBe(1);
    expect(started.stderr()).toContain('unknown applied migration(s) 20991231_0001_future. Refusing to start.');
    expect(started.stdout()).not.toContain('Ruang Redaksi server:');
    await diverged.remove();
  }, 120_000);
});
