import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginSession, ManualSessionSource, startNewsroomServer, type NewsroomServer } from '../testing/syncServer';
import { createStory, editStory, openSyncCore, storyText, writeParagraphs } from '../testing/syncCore';
import { tempProfile } from '../testing/tempProfile';

/**
 * Core SIGKILLed mid-sync: the server has persisted a batch and answered, but the answer has
 * not reached core (a proxy holds it back). Restarted, core loses nothing, resends at most
 * that one batch, and converges with the server.
 */

let server: NewsroomServer;
let childScript: string;
let buildDir: string;

beforeAll(async () => {
  server = await startNewsroomServer();
  buildDir = mkdtempSync(join(tmpdir(), 'rr-sync-child-'));
  childScript = join(buildDir, 'syncChild.cjs');
  buildSync({
    entryPoints: [resolve(__dirname, '../testing/syncChild.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: childScript,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

/** A TCP proxy to the server that, once armed, holds back the answer to the n-th POST /sync it sees. */
async function answerHoldingProxy(target: URL): Promise<{
  url: string;
  holdAnswerOfSync(n: number): void;
  heldBytes(): number;
  close(): Promise<void>;
}> {
  let syncPosts = 0;
  let holdAt = Infinity;
  let held = 0;
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let holding = false;
    client.on('data', (chunk: Buffer) => {
      if (chunk.toString('latin1').startsWith('POST /sync')) {
        syncPosts++;
        if (syncPosts === holdAt) holding = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (holding) held += chunk.length;
      else client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    holdAnswerOfSync(n) {
      holdAt = syncPosts + n;
    },
    heldBytes: () => held,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => r());
      }),
  };
}

function runChild(profileDir: string, session: object): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [childScript, profileDir, JSON.stringify(session)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The bundle lives in a temporary folder: better-sqlite3 comes from the repository's install.
    env: { ...process.env, NODE_PATH: resolve(__dirname, '../../../node_modules') },
  });
  const lines: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      r(code);
    }),
  );
  return { child, lines, exited };
}

const sentIds = (lines: string[]) => lines.filter((l) => l.startsWith('SENT ')).map((l) => JSON.parse(l.slice(5)) as string[]);

it('a core killed after the server persisted a batch but before the answer arrived restarts, resends at most that batch, and converges', async () => {
  const session = await loginSession(server.url, 'penulis1');
  const proxy = await answerHoldingProxy(new URL(server.url));
  const profile = tempProfile('rr-sync-crash-');
  try {
    // 150 stories written offline: two batches (100 + 50).
    const writer = openSyncCore(profile.dir, new ManualSessionSource(null));
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      const id = createStory(writer);
      editStory(writer, id, (doc) => writeParagraphs(doc, [`Naskah nomor ${i}.`, 'Paragraf kedua.']));
      ids.push(id);
    }
    await writer.close();

    const viaProxy = { ...session, serverUrl: proxy.url };
    proxy.holdAnswerOfSync(2); // the second batch's answer never reaches the first run
    const first = runChild(profile.dir, viaProxy);
    await expect.poll(() => proxy.heldBytes(), { timeout: 30_000 }).toBeGreaterThan(0);
    const sentBeforeKill = sentIds(first.lines);
    expect(sentBeforeKill.map((b) => b.length)).toEqual([100, 50]);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.lines.some((l) => l.startsWith('DONE'))).toBe(false);

    const second = runChild(profile.dir, viaProxy);
    expect(await second.exited).toBe(0);
    const done = second.lines.find((l) => l.startsWith('DONE '));
    expect(JSON.parse(done!.slice(5))).toMatchObject({ state: 'online', pending: 0 });
    // Resent: only the batch whose answer was lost.
    const resent = sentIds(second.lines).flat();
    expect(new Set(resent)).toEqual(new Set(sentBeforeKill[1]));

    // Nothing lost, nothing doubled: locally, and for another core of the same user.
    const after = openSyncCore(profile.dir, new ManualSessionSource(null));
    const elsewhere = tempProfile('rr-sync-crash-other-');
    const other = openSyncCore(elsewhere.dir, new ManualSessionSource(session));
    try {
      await other.engine.syncNow();
      ids.forEach((id, i) => {
        const expected = `Naskah nomor ${i}.\n\nParagraf kedua.`;
        expect(storyText(after, id).body).toBe(expected);
        expect(after.stories.summaryById(id)?.syncState).toBe('synced');
        expect(storyText(other, id).body).toBe(expected);
      });
    } finally {
      await after.close();
      await other.close();
      elsewhere.remove();
    }
  } finally {
    await proxy.close();
    profile.remove();
  }
}, 120_000);
