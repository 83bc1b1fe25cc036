import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestStorage } from './testStorage';

/**
 * A real server process (`node build/scripts/run-server.mjs`, which rebuilds
 * dist/server/main.js when a source changed), for tests that need several processes or
 * a crash. Storage from createTestStorage: PGlite's data directory, or PostgreSQL with
 * the test's schema passed in DATABASE_URL's startup options.
 */
export interface ServerProcess {
  origin: string;
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

const repo = resolve(__dirname, '../..');
const LINE = /Ruang Redaksi server: (http:\/\/127\.0\.0\.1:\d+)\n/;

export function storageEnv(storage: TestStorage, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.DATABASE_URL;
  if (storage.config.engine === 'postgres') {
    const url = new URL(storage.config.url);
    url.searchParams.set('options', `-c search_path=${storage.config.schema}`);
    env.DATABASE_URL = url.href;
  }
  return env;
}

export async function startServerProcess(storage: TestStorage, options: { demo?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<ServerProcess> {
  const args = ['build/scripts/run-server.mjs', '--port', '0', '--data', storage.dataDir, ...(options.demo ? ['--demo'] : [])];
  const child = spawn(process.execPath, args, { cwd: repo, env: storageEnv(storage, options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const origin = await new Promise<string>((resolveOrigin, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = LINE.exec(out);
      if (m) resolveOrigin(m[1]!);
    });
    void exit.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) before it was ready: ${err}`)));
  });
  return {
    origin,
    child,
    exit,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}
