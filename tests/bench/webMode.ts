import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** The line web mode prints once ready (common contract). */
const READY_LINE = /^Ruang Redaksi: (http:\/\/127\.0\.0\.1:(\d+)\/)#token=(\S+)$/m;

export interface WebMode {
  /** Full URL with the token fragment, as printed. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** performance.now() (this process) when the spawn call was made and when the line arrived. */
  spawnedAt: number;
  readyAt: number;
  /** SIGTERM and wait for exit (core flushes to SQLite first). */
  stop(): Promise<void>;
}

/** Starts `node dist/core/web.js --profile DIR --port 0 --no-server` (no demo server: the list benchmark measures core and the page) and waits for its ready line. */
export async function startWebMode(webJs: string, profileDir: string, timeoutMs = 60_000): Promise<WebMode> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [webJs, '--profile', profileDir, '--port', '0', '--no-server'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const ready = await new Promise<{ at: number; match: RegExpExecArray }>((resolve, reject) => {
    let out = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`web mode did not print its URL within ${timeoutMs} ms`)), timeoutMs);
    function fail(error: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\nstderr: ${stderr}`));
    }
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      out += d;
      const match = settled ? null : READY_LINE.exec(out);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve({ at: performance.now(), match });
      }
    });
    void exited.then((code) => fail(new Error(`web mode exited (code ${code}) before it was ready`)));
  });

  const [, origin, port, token] = ready.match;
  return {
    url: `${origin}#token=${token}`,
    origin: origin!.replace(/\/$/, ''),
    port: Number(port),
    token: token!,
    spawnedAt,
    readyAt: ready.at,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
