import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { buildServerBundle, processGone, serverEnv, serverLockPid, type BuiltDist } from '../testing/newsroomServer';
import { tempProfile } from '../testing/tempProfile';
import { connectWs } from '../testing/wsClient';
import { DEMO_SERVER_DIR, DEMO_SERVER_PORT_FILE } from './demoServer';
import { readRememberedPort } from './webPort';

/**
 * `npm run web` with no --server, for real: web mode (bundled like dist/core/web.js) starts
 * the demo newsroom server (bundled like dist/server/main.js, beside it as in dist/) as a
 * child process, prints both addresses, and the server goes when web mode goes, whether it
 * is stopped (SIGTERM) or killed (SIGKILL).
 */
const repo = resolve(__dirname, '../../..');
let dist: BuiltDist;
let webScript: string;
let profile: ReturnType<typeof tempProfile>;

beforeAll(async () => {
  dist = await buildServerBundle('rr-web-demo-');
  webScript = join(dist.dir, 'core', 'web.js');
  await build({
    entryPoints: [join(repo, 'electron/core/host/web.ts')],
    outfile: webScript,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  profile = tempProfile('rr-web-demo-');
}, 60_000);
/** Every web mode started, so a failing test leaves none running (their demo servers follow them). */
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => {
  dist?.remove();
  profile?.remove();
});

const WEB_LINE = /^Ruang Redaksi: http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)$/;
const SERVER_LINE = /^Ruang Redaksi server: (http:\/\/127\.0\.0\.1:(\d+)) \(demo newsroom: .*password redaksi123\)$/;

interface Started {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  exit: Promise<number | null>;
}

function startWeb(args: string[]): Promise<Started> {
  // Also without DATABASE_URL, as a user starts it: the demo must use PGlite in the profile either way.
  const child = spawn(process.execPath, [webScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...serverEnv(), DATABASE_URL: 'postgres://127.0.0.1:1/not-for-the-demo' } });
  started.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const lines = out.split('\n').slice(0, -1);
      if (lines.some((l) => WEB_LINE.test(l))) resolvePromise({ child, lines, stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`web mode exited ${code} before ready: ${err}`)));
  });
}

async function rpc(webLine: string) {
  const [, port, token] = WEB_LINE.exec(webLine)!;
  const ws = await connectWs(`ws://127.0.0.1:${port}/rpc?token=${token}`, { origin: `http://127.0.0.1:${port}` });
  return createRpcClient<CoreServices, CoreEvents>(ws.endpoint!);
}

const serverDir = () => join(profile.dir, DEMO_SERVER_DIR);
const health = async (url: string) => {
  try {
    return (await fetch(`${url}/health`)).status;
  } catch {
    return 'down';
  }
};

describe('web mode with its demo newsroom server', () => {
  it('starts the demo server, prints both addresses (its own last), offers it to log in, and stops it on SIGTERM', async () => {
    const web = await startWeb(['--profile', profile.dir, '--port', '0']);
    expect(web.lines).toHaveLength(2);
    expect(web.lines[1]).toMatch(WEB_LINE);
    const serverMatch = SERVER_LINE.exec(web.lines[0]!);
    expect(serverMatch, web.lines[0]).not.toBeNull();
    const [, serverUrl, serverPort] = serverMatch!;
    expect(readRememberedPort(profile.dir, DEMO_SERVER_PORT_FILE)).toBe(Number(serverPort));
    expect(existsSync(join(serverDir(), 'pglite'))).toBe(true);
    expect(await health(serverUrl!)).toBe(200);

    const client = await rpc(web.lines[1]!);
    expect(await client.services.account.status({})).toMatchObject({ state: 'logged_out', serverUrl });
    expect(await client.services.account.login({ serverUrl: serverUrl!, username: 'penulis1', password: 'redaksi123' })).toMatchObject({
      state: 'logged_in',
      user: { username: 'penulis1' },
    });

    const serverPid = serverLockPid(serverDir());
    expect(serverPid).not.toBeNull();
    web.child.kill('SIGTERM');
    expect(await web.exit).toBe(0);
    expect(processGone(serverPid!)).toBe(true);
    expect(await health(serverUrl!)).toBe('down');
    expect(serverLockPid(serverDir())).toBeNull(); // a graceful stop released its lock
  }, 180_000);

  it('keeps the same server address on the next start, and the server does not outlive a SIGKILLed web mode', async () => {
    const web = await startWeb(['--profile', profile.dir, '--port', '0']);
    const [, serverUrl, serverPort] = SERVER_LINE.exec(web.lines[0]!)!;
    expect(Number(serverPort)).toBe(readRememberedPort(profile.dir, DEMO_SERVER_PORT_FILE));
    const client = await rpc(web.lines.at(-1)!);
    expect(await client.services.account.status({})).toMatchObject({ state: 'logged_in', serverUrl, user: { username: 'penulis1' } });

    const serverPid = serverLockPid(serverDir())!;
    web.child.kill('SIGKILL');
    await web.exit;
    await expect.poll(() => processGone(serverPid), { timeout: 30_000, interval: 100 }).toBe(true);
    expect(await health(serverUrl!)).toBe('down');
    // It stopped itself the graceful way (its lock file is gone), not by a crash.
    expect(serverLockPid(serverDir())).toBeNull();
  }, 180_000);

  it('--server URL uses that server and starts none; --no-server offers none', async () => {
    const other = tempProfile('rr-web-demo-url-');
    try {
      const withUrl = await startWeb(['--profile', other.dir, '--port', '0', '--server', 'https://redaksi.example/']);
      expect(withUrl.lines).toHaveLength(1);
      expect((await (await rpc(withUrl.lines[0]!)).services.account.status({})).serverUrl).toBe('https://redaksi.example');
      withUrl.child.kill('SIGTERM');
      expect(await withUrl.exit).toBe(0);

      const offline = await startWeb(['--profile', other.dir, '--port', '0', '--no-server']);
      expect(offline.lines).toHaveLength(1);
      expect((await (await rpc(offline.lines[0]!)).services.account.status({})).serverUrl).toBeNull();
      offline.child.kill('SIGTERM');
      expect(await offline.exit).toBe(0);
      expect(existsSync(join(other.dir, DEMO_SERVER_DIR))).toBe(false);
    } finally {
      other.remove();
    }
  }, 60_000);
});
