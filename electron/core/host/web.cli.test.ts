import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { connectWs } from '../testing/wsClient';
import { tempProfile } from '../testing/tempProfile';
import { readRememberedPort } from './webPort';
import { WEB_TOKEN_FILE } from './webToken';

/**
 * The real CLI in a real process: bundled the way build-node.mjs bundles it (ESM, node20,
 * better-sqlite3 external), started with --profile/--port 0, stopped with SIGTERM.
 */
const repo = resolve(__dirname, '../../..');
let outDir: string;
let script: string;
let profile: ReturnType<typeof tempProfile>;

beforeAll(async () => {
  // Inside the repo so the bundle resolves better-sqlite3 from node_modules.
  mkdirSync(join(repo, 'node_modules/.cache'), { recursive: true });
  outDir = mkdtempSync(join(repo, 'node_modules/.cache/rr-web-cli-'));
  script = join(outDir, 'core', 'web.js');
  await build({
    entryPoints: [join(repo, 'electron/core/host/web.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  profile = tempProfile('rr-web-cli-');
}, 60_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  profile.remove();
});

interface Started {
  child: ChildProcess;
  /** The address line. */
  line: string;
  /** Every stdout line up to and including the address line. */
  lines: string[];
  stderr: () => string;
  exit: Promise<number | null>;
}
/** Without a newsroom server (--no-server): these tests are about web mode itself. */
function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [script, '--no-server', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const lines = out.split('\n').slice(0, -1).map((l) => `${l}\n`);
      const line = lines.find((l) => LINE.test(l));
      if (line) resolvePromise({ child, line, lines, stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`exited ${code} before ready: ${err}`)));
  });
}

const LINE = /^Ruang Redaksi: http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)\n$/;

describe('web mode CLI (node dist/core/web.js)', () => {
  it('prints one line, serves a 503 page until the renderer is built, keeps data and token across SIGTERM', async () => {
    const first = await startCli(['--profile', profile.dir, '--port', '0']);
    expect(first.lines).toEqual([first.line]);
    const m = LINE.exec(first.line);
    expect(m, first.line).not.toBeNull();
    const [, port, token] = m!;
    const origin = `http://127.0.0.1:${port}`;

    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(503);

    expect((await connectWs(`ws://127.0.0.1:${port}/rpc`, { origin })).refusedStatus).toBe(401);
    const ws = await connectWs(`ws://127.0.0.1:${port}/rpc?token=${token}`, { origin });
    const client = createRpcClient<CoreServices, CoreEvents>(ws.endpoint!);
    const { id } = await client.services.stories.create({});
    const doc = new Y.Doc();
    writeMetaText(doc, 'headline', 'Tersimpan sebelum SIGTERM');
    await client.services.docs.open({ storyId: id });
    await client.services.docs.push({ storyId: id, update: Y.encodeStateAsUpdate(doc) });

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = await startCli([`--profile=${profile.dir}`, '--port', '0']);
    const [, port2, token2] = LINE.exec(second.line)!;
    expect(token2).toBe(token); // kept in the profile, so an open tab reconnects
    expect(statSync(join(profile.dir, WEB_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    const ws2 = await connectWs(`ws://127.0.0.1:${port2}/rpc?token=${token2}`, { origin: `http://127.0.0.1:${port2}` });
    const client2 = createRpcClient<CoreServices, CoreEvents>(ws2.endpoint!);
    expect((await client2.services.stories.search({ query: 'tersimpan' })).map((h) => h.id)).toEqual([id]);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  });

  it('without --port keeps one address per profile; says so when another program holds it; --new-token renews', async () => {
    const own = tempProfile('rr-web-cli-own-');
    try {
      const first = await startCli(['--profile', own.dir]);
      expect(first.lines).toEqual([first.line]);
      const [, port, token] = LINE.exec(first.line)!;
      expect(readRememberedPort(own.dir)).toBe(Number(port));
      first.child.kill('SIGKILL');
      await first.exit;

      const again = await startCli(['--profile', own.dir]);
      expect(again.line).toBe(first.line);
      again.child.kill('SIGTERM');
      expect(await again.exit).toBe(0);

      // Another program on the usual port: served elsewhere this once, said before the address.
      const squatter = createServer();
      await new Promise<void>((r) => squatter.listen(Number(port), '127.0.0.1', () => r()));
      const displaced = await startCli(['--profile', own.dir]);
      const [, port2, token2] = LINE.exec(displaced.line)!;
      expect(port2).not.toBe(port);
      expect(token2).toBe(token);
      expect(displaced.lines).toHaveLength(2);
      expect(displaced.lines[0]).toContain(`usual port ${port} is in use by another program; serving on port ${port2} for this run only`);
      expect(displaced.lines[1]).toBe(displaced.line);
      displaced.child.kill('SIGTERM');
      expect(await displaced.exit).toBe(0);
      await new Promise<void>((r) => squatter.close(() => r()));

      const renewed = await startCli(['--profile', own.dir, '--new-token']);
      const [, port3, token3] = LINE.exec(renewed.line)!;
      expect(port3).toBe(port);
      expect(token3).not.toBe(token);
      expect(renewed.lines[0]).toContain('made a new access token');
      renewed.child.kill('SIGTERM');
      expect(await renewed.exit).toBe(0);
    } finally {
      own.remove();
    }
  });

  it('fails clearly on a bad argument, a taken port and an unusable profile', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; err: string }>((r) => {
        const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
        child.once('exit', (code) => r({ code, err }));
      });
    expect(await run(['--port', 'abc'])).toMatchObject({ code: 1, err: expect.stringContaining('--port must be an integer') });
    expect(await run(['--bogus'])).toMatchObject({ code: 1, err: expect.stringContaining("Unknown option '--bogus'") });
    expect(await run(['--port'])).toMatchObject({ code: 1, err: expect.stringContaining('usage: node dist/core/web.js') });

    const holder = await startCli(['--profile', profile.dir, '--port', '0']);
    const [, port] = LINE.exec(holder.line)!;
    const other = tempProfile('rr-web-cli-other-');
    expect(await run(['--profile', other.dir, '--port', port!])).toMatchObject({ code: 1, err: expect.stringContaining(`Port ${port} on 127.0.0.1 is already in use`) });
    expect(await run(['--profile', profile.dir, '--port', '0'])).toMatchObject({ code: 1, err: expect.stringContaining('already in use by another Ruang Redaksi core') });
    holder.child.kill('SIGTERM');
    expect(await holder.exit).toBe(0);
    other.remove();

    // A profile path under a regular file can never be a directory.
    const file = join(profile.dir, 'core.db');
    expect(await run(['--profile', join(file, 'nested'), '--port', '0'])).toMatchObject({ code: 1, err: expect.stringContaining('is not usable') });
  });
});
