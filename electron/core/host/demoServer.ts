import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { derivePort, portCandidates, readRememberedPort, rememberPort } from './webPort';

/**
 * Web mode's demo newsroom server: `node dist/server/main.js --data <profile>/server --demo
 * --port N` as a child process, so `npm run web` alone shows the whole newsroom. Its port is
 * the profile's own, like web mode's (derived from the profile path on first start and
 * remembered in `server-port`), because the account saved in the profile names the server
 * by its address: a new port every start would strand the session.
 */

/** The demo server's data (PGlite) inside the profile. */
export const DEMO_SERVER_DIR = 'server';
/** The profile file remembering the demo server's port. */
export const DEMO_SERVER_PORT_FILE = 'server-port';

/** The line the server prints once it accepts requests. */
const READY_LINE = /Ruang Redaksi server: (http:\/\/127\.0\.0\.1:(\d+))\n/;

/** A fresh data directory runs initdb (seconds on a busy machine); reopening is quicker. */
export const DEMO_SERVER_START_TIMEOUT_MS = 120_000;
/** After SIGTERM the server lets requests finish (its own limit is 10 s), then it is killed. */
const STOP_TIMEOUT_MS = 12_000;

/**
 * Loaded into the server process before its own code (`node --import`): when web mode goes
 * away, even by SIGKILL, the pipe on the server's stdin closes and the server stops itself
 * the graceful way (SIGTERM). Until the server has installed its SIGTERM handler (it does so
 * once its database is open) the stop waits, so a half-created database is not cut off.
 */
const STOP_WITH_PARENT = `
let waited = 0;
const stop = () => {
  if (process.listenerCount('SIGTERM') > 0 || waited >= 60000) process.kill(process.pid, 'SIGTERM');
  else { waited += 100; setTimeout(stop, 100); }
};
process.stdin.once('end', stop);
process.stdin.once('error', stop);
process.stdin.resume();
`;
export const STOP_WITH_PARENT_IMPORT = `data:text/javascript,${encodeURIComponent(STOP_WITH_PARENT)}`;

export interface DemoServerPort {
  port: number;
  /** What to say when this run is not on the usual port; null when it is. */
  notice: string | null;
  /** Call once the profile is locked: remembers a first port. */
  remember(): void;
}

/**
 * The demo server's port for this run: the remembered one, else derived from the profile;
 * when another program holds it, a free neighbour for this run only. Only probes: the
 * server binds it a moment later.
 */
export async function chooseDemoServerPort(profileDir: string): Promise<DemoServerPort> {
  const remembered = readRememberedPort(profileDir, DEMO_SERVER_PORT_FILE);
  const usual = remembered ?? derivePort(join(profileDir, DEMO_SERVER_DIR));
  let port: number | null = null;
  for (const candidate of portCandidates(usual)) {
    if (await isPortFree(candidate)) {
      port = candidate;
      break;
    }
  }
  port ??= await anyFreePort();
  const chosen = port;
  const notice =
    remembered !== null && chosen !== remembered
      ? `Ruang Redaksi: the demo server's usual port ${remembered} is in use by another program; it runs on port ${chosen} for this run only, so log in again there.`
      : null;
  return {
    port: chosen,
    notice,
    remember() {
      if (remembered !== null) return;
      try {
        rememberPort(profileDir, chosen, DEMO_SERVER_PORT_FILE);
      } catch {
        // Only costs the same address next time; the derived port usually gives it anyway.
      }
    },
  };
}

export interface DemoServer {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves once it is gone. Idempotent. */
  stop(): Promise<void>;
}

export class DemoServerStartError extends Error {
  override name = 'DemoServerStartError';
}

/** Starts the server and resolves once it prints its address; rejects (and leaves nothing running) otherwise. */
export async function startDemoServer(options: {
  serverScript: string;
  profileDir: string;
  port: number;
  timeoutMs?: number;
  /** Where the server's own error output goes once it runs (web mode: its stderr). */
  stderr?: NodeJS.WritableStream;
}): Promise<DemoServer> {
  if (!existsSync(options.serverScript)) throw new DemoServerStartError(`${options.serverScript} is missing (run \`npm run build\`)`);
  const env = { ...process.env };
  // The demo keeps its data in the profile; a PostgreSQL named in the environment (CI sets
  // one for the server's own tests) is not the demo's to seed.
  delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    ['--import', STOP_WITH_PARENT_IMPORT, options.serverScript, '--data', join(options.profileDir, DEMO_SERVER_DIR), '--demo', '--port', String(options.port)],
    {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group on POSIX: Ctrl-C in a terminal reaches web mode only, which
      // then stops the server once, in order.
      detached: process.platform !== 'win32',
      windowsHide: true,
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin!.on('error', () => {});
  let errors = '';
  const collectErrors = (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000));
  child.stderr!.on('data', collectErrors);

  let url: string;
  try {
    url = await waitForReadyLine(child, exited, options.timeoutMs ?? DEMO_SERVER_START_TIMEOUT_MS, () => errors);
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  child.stdout!.resume();
  child.stderr!.off('data', collectErrors);
  if (options.stderr) child.stderr!.pipe(options.stderr, { end: false });
  else child.stderr!.resume();

  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid!,
    stop: () => (stopping ??= stopChild(child, exited)),
  };
}

function waitForReadyLine(child: ChildProcess, exited: Promise<void>, timeoutMs: number, errors: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new DemoServerStartError(`it did not start within ${timeoutMs / 1000} s ${tail(errors())}`))), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = READY_LINE.exec(out);
      if (match) settle(() => resolve(match[1]!));
    });
    child.once('error', (error) => settle(() => reject(new DemoServerStartError(error.message))));
    void exited.then(() => settle(() => reject(new DemoServerStartError(`it exited with code ${child.exitCode ?? child.signalCode} ${tail(errors())}`))));
  });
}

function tail(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.length === 0 ? '' : `(${lines.slice(-3).join(' / ')})`;
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
