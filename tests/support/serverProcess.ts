import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the real newsroom server (dist/server/main.js, built by `npm run build`) as a child
 * process: `--data DIR --port N [--demo]` (N = 0, any free port, unless `port` is given), PostgreSQL instead of PGlite when `databaseUrl`
 * is given. Resolves once it printed `Ruang Redaksi server: http://127.0.0.1:N`.
 */
export interface ServerProcess {
  url: string;
  port: number;
  process: ChildProcess;
  /** SIGTERM (drains and exits 0) or SIGKILL; resolves with the exit code once it is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartServerOptions {
  dataDir: string;
  demo?: boolean;
  /** A fixed port, so a test can stop the server and start it again at the same address (default 0: any free port). */
  port?: number;
  /** PostgreSQL connection string; absent = PGlite in dataDir. */
  databaseUrl?: string;
  /** Extra arguments for node before the script (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
  /** Root of the repository holding dist/ (defaults to this checkout). */
  repoRoot?: string;
  timeoutMs?: number;
  /** Lines the server writes to stderr after it started (errors it logs). */
  onStderr?: (text: string) => void;
}

const DEFAULT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = /Ruang Redaksi server: (http:\/\/127\.0\.0\.1:(\d+))/;

export async function startServerProcess(options: StartServerOptions): Promise<ServerProcess> {
  const root = options.repoRoot ?? DEFAULT_ROOT;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env = { ...process.env };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), path.join(root, 'dist/server/main.js'), '--data', options.dataDir, '--port', String(options.port ?? 0), ...(options.demo ? ['--demo'] : [])],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let started = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => {
    if (started) options.onStderr?.(chunk.toString());
    else output += chunk.toString();
  });
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = READY.exec(output);
      if (found && !started) {
        started = true;
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`the server exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  return {
    url: match[1]!,
    port: Number(match[2]),
    process: child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
