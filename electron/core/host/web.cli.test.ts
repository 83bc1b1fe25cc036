import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { connectWs } from '../testing/wsClient';
import { tempProfile } from '../testing/tempProfile';

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
  line: string;
  stderr: () => string;
  exit: Promise<number | null>;
}
function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolvePromise({ child, line: out, stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`exited ${code} before ready: ${err}`)));
  });
}

const LINE = /^Ruang Redaksi: http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)\n$/;

describe('web mode CLI (node dist/core/web.js)', () => {
  it('prints one line, serves a 503 page until the renderer is built, keeps data across SIGTERM', async () => {
    const first = await startCli(['--profile', profile.dir, '--port', '0']);
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
    expect(token2).not.toBe(token);
    const ws2 = await connectWs(`ws://127.0.0.1:${port2}/rpc?token=${token2}`, { origin: `http://127.0.0.1:${port2}` });
    const client2 = createRpcClient<CoreServices, CoreEvents>(ws2.endpoint!);
    expect((await client2.services.stories.search({ query: 'tersimpan' })).map((h) => h.id)).toEqual([id]);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
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
    expect(await run(['--bogus'])).toMatchObject({ code: 1, err: expect.stringContaining('unknown argument') });

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
