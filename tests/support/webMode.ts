import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs the real web-mode host (dist/core/web.js, built by `npm run build`) as a child process. */
export interface WebModeHost {
  url: string;
  port: number;
  token: string;
  process: ChildProcess;
  /** SIGTERM (graceful: core flushes) or SIGKILL (a crash); resolves when the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = /Ruang Redaksi: (http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+))/;

export function tempProfile(prefix = 'rr-profile-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface WebModeOptions {
  /**
   * The newsroom server web mode offers: 'none' (the default: --no-server, so a test that
   * does not need a server does not pay for the demo server's database start, seconds each),
   * 'demo' (as a user runs it: web mode starts its demo server), or a URL (--server URL).
   */
  server?: 'none' | 'demo' | string;
}

/**
 * `port` 0 (the default) = any free port; null = no --port at all, as a user starts it:
 * the profile's own remembered address.
 */
export async function startWebMode(profileDir: string, port: number | null = 0, timeoutMs = 20_000, options: WebModeOptions = {}): Promise<WebModeHost> {
  const portArgs = port === null ? [] : ['--port', String(port)];
  const server = options.server ?? 'none';
  const serverArgs = server === 'none' ? ['--no-server'] : server === 'demo' ? [] : ['--server', server];
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/core/web.js'), '--profile', profileDir, ...portArgs, ...serverArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code} before ready:\n${output}`));
    });
  });
  // After start, core's own errors and an unexpected exit go to the test's stderr, so a
  // failure caused by core (an uncaught error, a crash) says so in the test report.
  let stopping = false;
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[web mode ${ready[2]}] ${chunk.toString()}`));
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`[web mode ${ready[2]}] exited unexpectedly (code ${code}, signal ${signal})\n${output}\n`);
  });
  return {
    url: ready[1]!,
    port: Number(ready[2]),
    token: ready[3]!,
    process: child,
    async stop(signal = 'SIGTERM') {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
