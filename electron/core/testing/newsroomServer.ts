import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * The real newsroom server as a process, for core's cross-process tests. Core may not import
 * server/, so it is bundled here the way build/scripts/build-node.mjs bundles
 * dist/server/main.js (ESM, node20, packages external), into a folder laid out like dist/
 * (`server/main.js`), inside the repository so its packages resolve from node_modules.
 */
const repo = resolve(__dirname, '../../..');

export interface BuiltDist {
  /** A dist-like folder: `server/main.js` (and whatever else the caller bundles beside it). */
  dir: string;
  serverScript: string;
  remove(): void;
}

export async function buildServerBundle(prefix = 'rr-core-server-'): Promise<BuiltDist> {
  mkdirSync(join(repo, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(join(repo, 'node_modules/.cache', prefix));
  const serverScript = join(dir, 'server', 'main.js');
  await build({
    entryPoints: [join(repo, 'server/main.ts')],
    outfile: serverScript,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return { dir, serverScript, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM (drains) by default; resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const LINE = /Ruang Redaksi server: (http:\/\/127\.0\.0\.1:(\d+))\n/;

/** PGlite in dataDir, never a PostgreSQL from the environment (CI sets DATABASE_URL). */
export function serverEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return env;
}

export async function startNewsroomServer(serverScript: string, dataDir: string, options: { port?: number; timeoutMs?: number } = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [serverScript, '--data', dataDir, '--port', String(options.port ?? 0), '--demo'], {
    env: serverEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const timeoutMs = options.timeoutMs ?? 90_000;
  const match = await new Promise<RegExpExecArray>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before ready: ${err}`));
    });
  });
  return {
    url: match[1]!,
    port: Number(match[2]),
    child,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The pid a running server wrote into its data directory's lock file, or null. */
export function serverLockPid(dataDir: string): number | null {
  try {
    const pid = (JSON.parse(readFileSync(join(dataDir, 'server.lock'), 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : null;
  } catch {
    return null;
  }
}

/** True once the process is gone (or only a zombie nobody reaped yet). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    // "pid (comm) S ..." — the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
