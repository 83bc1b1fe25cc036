import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { openCore, type Core } from '../../electron/core/core';
import { getBody } from '../../shared/doc/storyDoc';
import type { SyncStatus } from '../../shared/domain/newsroom';
import type { ServerBenchContext } from './context';
import { round2 } from './stats';
import { storyTemplate, typeKeystrokes } from './syncStories';
import { startLinkProxy, type LinkProxy, type LinkProxyOptions } from '../support/linkProxy';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { SyncClient } from '../support/syncClient';

/**
 * `sync.reconnect100.*` and `sync.fieldlink10.ms` (tests/bench/README.md), measured through
 * core's real sync engine: a core opened in this process on a fresh profile (its SQLite
 * store, its StoryDocs, the engine core.ts wires), logged in with `account.login` on the real
 * server process (PGlite, --demo) reached through the weak-link proxy. Stories are created and
 * typed into through core's own services (`stories.create`, `docs.push`); the engine does
 * the rest on its own schedule, as in the app.
 *
 * Round trips are counted by wrapping the global fetch the engine (and the account client)
 * calls: every HTTP request this process sends to the server while the clock runs counts.
 */
export const SYNC_IDS = ['sync.reconnect100.ms', 'sync.reconnect100.roundtrips', 'sync.fieldlink10.ms'] as const;

const PASSWORD = 'redaksi123';
const KEYSTROKES = 1_000;
/** Keys typed between two docs.push calls: the renderer's push queue sends typing in small bursts, not key by key. */
const KEYS_PER_PUSH = 20;
const CONVERGE_TIMEOUT_MS = 120_000;

const RECONNECT_STORIES = 100;
const RECONNECT_ONE_WAY_DELAY_MS = 50;

const FIELD_STORIES = 10;
const FIELD_BYTES_PER_SECOND = 32_000;
const FIELD_ONE_WAY_DELAY_MS = 300;

interface RequestRecord {
  method: string;
  path: string;
  upBytes: number;
  downBytes: number;
  status: number | 'failed';
  ms: number;
  error?: string;
  /** The request body, kept to report (after the clock stopped) what gzip would make of it. */
  body?: string;
}

/** Counts every request sent through globalThis.fetch to `origin` while installed. */
function installFetchCounter(origin: () => string, onRequest?: (record: { method: string; path: string; body: string | undefined; sentBytes: number }) => void) {
  const original = globalThis.fetch;
  const records: RequestRecord[] = [];
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.origin !== origin()) return original(input, init);
    // The engine gzips larger bodies: count the bytes sent, keep the JSON for the report.
    const raw = init?.body;
    const sentBytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw instanceof Uint8Array ? raw.byteLength : 0;
    const body = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? gunzipSync(raw).toString('utf8') : undefined;
    const method = init?.method ?? 'GET';
    const pathName = url.pathname;
    onRequest?.({ method, path: pathName, body, sentBytes });
    const t0 = performance.now();
    const record: RequestRecord = { method, path: pathName, upBytes: sentBytes, downBytes: 0, status: 'failed', ms: 0, body };
    records.push(record);
    try {
      const response = await original(input, init);
      record.status = response.status;
      // The engine reads the answer with text(): count its size (after any decompression) as it does.
      const text = response.text.bind(response);
      (response as { text: () => Promise<string> }).text = async () => {
        const t = await text();
        record.downBytes = Buffer.byteLength(t);
        record.ms = performance.now() - t0;
        return t;
      };
      return response;
    } catch (error) {
      record.ms = performance.now() - t0;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      record.error = `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
      throw error;
    }
  };
  return {
    records,
    uninstall() {
      globalThis.fetch = original;
    },
  };
}

/**
 * One line per request. ↑ is the body as sent (the engine gzips bodies from 1 KiB on; the
 * gzip figure is what the JSON compresses to), ↓ the answer
 * as read (after the transport's decompression; the proxy's byte counts show the wire).
 */
function describe(records: readonly RequestRecord[], totalMs: number): string {
  // The engine sends one request at a time: what is not inside a request is core's own work
  // (reading and diffing stories, applying answers, SQLite) plus retry waits.
  const inRequests = records.reduce((sum, r) => sum + r.ms, 0);
  return `${Math.round(inRequests)} ms inside requests, ${Math.round(totalMs - inRequests)} ms outside them; ` + records
    .map((r) => {
      const gz = r.body && r.body.length > 0 ? ` (gzip ${gzipSync(r.body).length} B)` : '';
      return `${r.method} ${r.path} ${r.status}${r.error ? ` [${r.error}]` : ''} ↑${r.upBytes} B${gz} ↓${r.downBytes} B ${Math.round(r.ms)} ms`;
    })
    .join('; ');
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = CONVERGE_TIMEOUT_MS, everyMs = 5): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Converged: no story pending and an exchange that completed after `since` (wall clock, as the engine stamps it). */
function converged(core: Core, since: number): () => Promise<SyncStatus | null> {
  return async () => {
    const status = await core.services.sync.status({});
    return status.pending === 0 && status.state === 'online' && (status.lastSyncedAt ?? 0) >= since ? status : null;
  };
}

/** Creates `count` stories from the templates through core's services; returns their ids. */
async function createStories(core: Core, count: number, seedBase: number): Promise<string[]> {
  const templates = Array.from({ length: Math.min(count, 10) }, (_, i) => storyTemplate(seedBase + i));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await core.services.stories.create({});
    await core.services.docs.push({ storyId: id, update: templates[i % templates.length]! });
    ids.push(id);
  }
  return ids;
}

/**
 * 1,000 keystrokes into each story at the Yjs level, as protocol.* types them (same seeds,
 * one transaction per key), then handed to core through docs.push in bursts of
 * KEYS_PER_PUSH keys, in the order they were typed.
 */
async function typeOffline(core: Core, ids: readonly string[], seedBase: number): Promise<void> {
  for (const [i, storyId] of ids.entries()) {
    const { state } = await core.services.docs.open({ storyId });
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, state, 'load');
      const keys: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== 'load') keys.push(update);
      });
      typeKeystrokes(doc, KEYSTROKES, seedBase + i);
      for (let k = 0; k < keys.length; k += KEYS_PER_PUSH) {
        await core.services.docs.push({ storyId, update: Y.mergeUpdates(keys.slice(k, k + KEYS_PER_PUSH)) });
      }
    } finally {
      doc.destroy();
      await core.services.docs.close({ storyId });
    }
  }
}

/** A fresh client reads every story from the server: each must hold exactly what core holds. */
async function verifyOnServer(core: Core, serverUrl: string, username: string, ids: readonly string[]): Promise<void> {
  const check = new SyncClient({ baseUrl: serverUrl, timeoutMs: 30_000 });
  try {
    await check.login(username, PASSWORD);
    for (const id of ids) check.addStory(id);
    for (let i = 0; i < ids.length; i += 100) await check.syncBatch(ids.slice(i, i + 100));
    for (const id of ids) {
      const { state } = await core.services.docs.open({ storyId: id });
      await core.services.docs.close({ storyId: id });
      const local = new Y.Doc();
      try {
        Y.applyUpdate(local, state);
        const server = check.stories.get(id)!.doc;
        if (getBody(server).toString() !== getBody(local).toString()) throw new Error(`story ${id}: the server's text differs from core's`);
        const have = Y.decodeStateVector(Y.encodeStateVector(server));
        for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(local))) {
          if ((have.get(client) ?? 0) < clock) throw new Error(`story ${id}: the server lacks core's edits of client ${client}`);
        }
      } finally {
        local.destroy();
      }
    }
  } finally {
    check.close();
  }
}

interface Scenario {
  username: string;
  stories: number;
  seedBase: number;
  keystrokeSeed: number;
  link: Omit<LinkProxyOptions, 'targetPort' | 'port'>;
}

/**
 * Online: core logs in through the link and its stories reach the server (not timed). Then
 * the link goes away (the proxy closes: connections are refused, the engine backs off) and
 * every story gets 1,000 keystrokes. Then the link comes back on the same address and
 * `sync.now` is called; the clock runs from there until the engine reports pending 0 after
 * a completed exchange. Verified afterwards (not timed) on the server.
 */
async function runScenario(
  ctx: ServerBenchContext,
  server: ServerProcess,
  scenario: Scenario,
  name: string,
  beforeReconnect?: (proxy: LinkProxy, link: { armCut(fraction: number): void }) => void,
): Promise<{ ms: number; records: RequestRecord[]; proxy: LinkProxy; pendingZeroMs: number | null }> {
  const profileDir = mkdtempSync(path.join(tmpdir(), 'rr-bench-sync-'));
  let proxy: LinkProxy | null = null;
  let core: Core | null = null;
  let counter: ReturnType<typeof installFetchCounter> | null = null;
  try {
    proxy = await startLinkProxy({ targetPort: server.port, lifetimeMs: 5 * 60_000, ...scenario.link });
    const port = proxy.port;
    const linkUrl = proxy.url;
    core = openCore({ profileDir, onInternalError: (what, error) => ctx.log(`${name}: core ${what}: ${error instanceof Error ? error.message : String(error)}`) });
    const since0 = Date.now();
    await core.services.account.login({ serverUrl: linkUrl, username: scenario.username, password: PASSWORD });
    const ids = await createStories(core, scenario.stories, scenario.seedBase);
    await core.services.sync.now({});
    await waitFor(`${name}: first sync`, converged(core, since0));
    ctx.log(`${name}: ${scenario.stories} stories created and synced online`);

    // The link goes away.
    await proxy.close();
    proxy = null;
    await typeOffline(core, ids, scenario.keystrokeSeed);
    // The engine notices the typing and tries to push (the in-process calls above never let
    // its timers run): it must find the link down and back off, as it would in the field.
    const offline = await waitFor(`${name}: engine offline`, async () => {
      const status = await core!.services.sync.status({});
      return status.state === 'offline' ? status : null;
    });
    ctx.log(`${name}: typed ${KEYSTROKES} keystrokes into each story offline; engine: ${offline.state} (${offline.problem}), pending ${offline.pending}`);
    if (offline.pending !== scenario.stories) throw new Error(`${name}: expected ${scenario.stories} pending stories offline, got ${offline.pending}`);

    // The link comes back on the same address; the clock starts when sync.now is called.
    proxy = await startLinkProxy({ targetPort: server.port, port, lifetimeMs: 5 * 60_000, ...scenario.link });
    let cutArmed: number | null = null;
    const live = proxy;
    counter = installFetchCounter(
      () => linkUrl,
      ({ method, path: p, sentBytes }) => {
        if (cutArmed !== null && method === 'POST' && p === '/sync' && sentBytes > 0) {
          live.cutAfter({ afterBytes: Math.floor(sentBytes * cutArmed), direction: 'up' });
          cutArmed = null;
        }
      },
    );
    beforeReconnect?.(proxy, { armCut: (fraction) => (cutArmed = fraction) });
    const since = Date.now();
    const start = performance.now();
    let pendingZeroMs: number | null = null;
    await core.services.sync.now({});
    await waitFor(`${name}: reconnect`, async () => {
      const status = await core!.services.sync.status({});
      if (status.pending === 0 && pendingZeroMs === null) pendingZeroMs = performance.now() - start;
      return converged(core!, since)();
    });
    const ms = performance.now() - start;
    counter.uninstall();
    const records = counter.records;
    counter = null;

    await verifyOnServer(core, server.url, scenario.username, ids);
    return { ms, records, proxy, pendingZeroMs };
  } finally {
    counter?.uninstall();
    core?.close();
    await proxy?.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

export async function runSyncBenchmarks(ctx: ServerBenchContext): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rr-bench-sync-server-'));
  let server: ServerProcess | null = null;
  try {
    const t0 = Date.now();
    server = await startServerProcess({ dataDir, demo: true, repoRoot: ctx.paths.repoRoot });
    ctx.log(`sync: server (PGlite) started in ${Date.now() - t0} ms`);

    if (ctx.wants('sync.reconnect100')) {
      const { ms, records, pendingZeroMs } = await runScenario(
        ctx,
        server,
        { username: 'penulis1', stories: RECONNECT_STORIES, seedBase: 9_000, keystrokeSeed: 50_000, link: { delayMs: RECONNECT_ONE_WAY_DELAY_MS } },
        'sync.reconnect100',
      );
      ctx.log(
        `sync.reconnect100: ${RECONNECT_STORIES} stories × ${KEYSTROKES} keystrokes, ${2 * RECONNECT_ONE_WAY_DELAY_MS} ms RTT: ${round2(ms)} ms ` +
          `(pending 0 after ${pendingZeroMs === null ? '?' : round2(pendingZeroMs)} ms), ${records.length} requests: ${describe(records, ms)}; every story verified on the server`,
      );
      ctx.record('sync.reconnect100.ms', round2(ms));
      ctx.record('sync.reconnect100.roundtrips', records.length);
    }

    if (ctx.wants('sync.fieldlink10')) {
      const { ms, records, proxy, pendingZeroMs } = await runScenario(
        ctx,
        server,
        {
          username: 'penulis2',
          stories: FIELD_STORIES,
          seedBase: 9_500,
          keystrokeSeed: 70_000,
          link: { delayMs: FIELD_ONE_WAY_DELAY_MS, bytesPerSecond: FIELD_BYTES_PER_SECOND },
        },
        'sync.fieldlink10',
        // The cut: every connection reset when half of the first /sync body went up.
        (_proxy, link) => link.armCut(0.5),
      );
      const cuts = proxy.stats().cuts;
      if (cuts !== 1) throw new Error(`sync.fieldlink10: the link was cut ${cuts} times, expected once`);
      ctx.log(
        `sync.fieldlink10: ${FIELD_STORIES} stories × ${KEYSTROKES} keystrokes, ${(FIELD_BYTES_PER_SECOND * 8) / 1000} kbit/s, ${2 * FIELD_ONE_WAY_DELAY_MS} ms RTT, ` +
          `cut once mid-upload: ${round2(ms)} ms (pending 0 after ${pendingZeroMs === null ? '?' : round2(pendingZeroMs)} ms), ${records.length} requests: ${describe(records, ms)}; ` +
          `${proxy.stats().bytesUp} B up, ${proxy.stats().bytesDown} B down through the link; every story verified on the server`,
      );
      ctx.record('sync.fieldlink10.ms', round2(ms));
    }
  } finally {
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
