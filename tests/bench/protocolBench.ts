import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import type { ServerBenchContext } from './context';
import { round2 } from './stats';
import { storyTemplate, typeKeystrokes } from './syncStories';
import { startLinkProxy, type LinkProxy } from '../support/linkProxy';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { SyncClient } from '../support/syncClient';

/**
 * The sync protocol's share of `sync.reconnect100.*` and `sync.fieldlink10.ms` (tests/bench/README.md), measured
 * WITHOUT core: a minimal client (tests/support/syncClient.ts) speaks /sync the way core's
 * engine is specified to (GET /changes since its cursor, then POST /sync with the Yjs diff
 * against the acknowledged server state vector and its own state vector, ≤ 100 stories a
 * request) through the weak-link proxy with 100 ms added RTT, against the real server
 * process on PGlite. These ids are NOT the contract's `sync.*`, which belong
 * to core's sync engine (its SQLite reads, its scheduling); they bound what the protocol
 * and the server cost, so the engine's figure can be read against them.
 */
export const PROTOCOL_IDS = ['protocol.reconnect100.ms', 'protocol.reconnect100.roundtrips', 'protocol.fieldlink10.ms'] as const;

/** The field link of `sync.fieldlink10.ms`: 256 kbit/s each way, 600 ms RTT, one cut mid-upload. */
const FIELD_STORIES = 10;
const FIELD_BYTES_PER_SECOND = 32_000;
const FIELD_ONE_WAY_DELAY_MS = 300;
/** Time between retries after a failed request (core adds jitter; a fixed pause keeps runs comparable). */
const RETRY_PAUSE_MS = 500;

const STORIES = 100;
const KEYSTROKES = 1_000;
const ONE_WAY_DELAY_MS = 50;
const REQUEST_TIMEOUT_MS = 30_000;
/** Round trips after which the client gives up: the goal is 3, something is wrong well before 10. */
const MAX_ROUNDS = 10;

export async function runProtocolBenchmarks(ctx: ServerBenchContext): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rr-bench-protocol-'));
  let server: ServerProcess | null = null;
  const clients: SyncClient[] = [];
  try {
    const t0 = Date.now();
    server = await startServerProcess({ dataDir, demo: true, repoRoot: ctx.paths.repoRoot });
    ctx.log(`protocol: server (PGlite) started in ${Date.now() - t0} ms`);

    if (ctx.wants('protocol.reconnect100')) await reconnect100(ctx, server, clients);
    if (ctx.wants('protocol.fieldlink10')) await fieldLink10(ctx, server, clients);
  } finally {
    for (const client of clients) client.close();
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function reconnect100(ctx: ServerBenchContext, server: ServerProcess, clients: SyncClient[]): Promise<void> {
  let proxy: LinkProxy | null = null;
  try {
    // Online: the reporter's 100 stories reach the server (not timed).
    const direct = new SyncClient({ baseUrl: server.url, timeoutMs: REQUEST_TIMEOUT_MS });
    clients.push(direct);
    const { token } = await direct.login('penulis1', 'redaksi123');
    const templates = Array.from({ length: 10 }, (_, i) => storyTemplate(9_000 + i));
    const ids = Array.from({ length: STORIES }, (_, i) => direct.addStory(randomUUID(), templates[i % templates.length]).id);
    const created = await direct.syncAll(ids);
    if (created.refused.length) throw new Error(`creating stories: refused ${JSON.stringify(created.refused)}`);
    const { cursor } = await direct.changes(0);

    // Offline: 1,000 keystrokes in every story.
    for (const [i, id] of ids.entries()) typeKeystrokes(direct.stories.get(id)!.doc, KEYSTROKES, 50_000 + i);

    // Reconnect through a link with 100 ms RTT, on a new connection (TCP handshake included).
    proxy = await startLinkProxy({ targetPort: server.port, delayMs: ONE_WAY_DELAY_MS, lifetimeMs: 5 * 60_000 });
    const client = new SyncClient({ baseUrl: proxy.url, token, timeoutMs: REQUEST_TIMEOUT_MS });
    clients.push(client);
    for (const id of ids) {
      const story = direct.stories.get(id)!;
      const mine = client.addStory(id, Y.encodeStateAsUpdate(story.doc));
      mine.acked = story.acked;
    }

    const start = performance.now();
    let roundTrips = 0;
    let sent = 0;
    let received = 0;
    const changed = await client.changes(cursor);
    roundTrips++;
    let pending = [...new Set([...ids.filter((id) => client.stories.get(id)!.dirty), ...changed.stories.map((s) => s.id)])];
    while (pending.length > 0) {
      if (roundTrips >= MAX_ROUNDS) throw new Error(`not converged after ${MAX_ROUNDS} round trips: ${pending.length} stories left`);
      const stats = await client.syncAll(pending);
      roundTrips += stats.requests;
      sent += stats.sentBytes;
      received += stats.receivedBytes;
      if (stats.refused.length) throw new Error(`sync refused: ${JSON.stringify(stats.refused)}`);
      pending = pending.filter((id) => !client.converged(client.stories.get(id)!));
    }
    const ms = performance.now() - start;

    // Proof, not timed: a fresh client fetching every story gets exactly the reporter's text.
    const check = new SyncClient({ baseUrl: server.url, token, timeoutMs: REQUEST_TIMEOUT_MS });
    clients.push(check);
    for (const id of ids) check.addStory(id);
    for (let i = 0; i < ids.length; i += 100) await check.syncBatch(ids.slice(i, i + 100));
    for (const id of ids) {
      const want = client.stories.get(id)!.doc.get('root', Y.XmlText).toString();
      if (check.stories.get(id)!.doc.get('root', Y.XmlText).toString() !== want) throw new Error(`story ${id}: the server's document differs from the client's`);
    }

    ctx.log(
      `protocol.reconnect100: ${STORIES} stories × ${KEYSTROKES} keystrokes over ${2 * ONE_WAY_DELAY_MS} ms RTT: ${round2(ms)} ms, ${roundTrips} round trips ` +
        `(GET /changes + ${roundTrips - 1} POST /sync), ${sent} bytes up, ${received} bytes down; every story verified on the server`,
    );
    ctx.record('protocol.reconnect100.ms', round2(ms));
    ctx.record('protocol.reconnect100.roundtrips', roundTrips);
  } finally {
    await proxy?.close();
  }
}

/**
 * 10 stories with 1,000 offline keystrokes each, synced over the field link; the link
 * drops every connection once, when half of the first upload went through. The client
 * retries a failed request after RETRY_PAUSE_MS on a new connection, as core's engine will
 * (the whole batch again: the server kept nothing of a request cut before its end).
 */
async function fieldLink10(ctx: ServerBenchContext, server: ServerProcess, clients: SyncClient[]): Promise<void> {
  let proxy: LinkProxy | null = null;
  try {
    const direct = new SyncClient({ baseUrl: server.url, timeoutMs: REQUEST_TIMEOUT_MS });
    clients.push(direct);
    const { token } = await direct.login('penulis2', 'redaksi123');
    const ids = Array.from({ length: FIELD_STORIES }, (_, i) => direct.addStory(randomUUID(), storyTemplate(9_500 + i)).id);
    await direct.syncAll(ids);
    const { cursor } = await direct.changes(0);
    for (const [i, id] of ids.entries()) typeKeystrokes(direct.stories.get(id)!.doc, KEYSTROKES, 70_000 + i);

    proxy = await startLinkProxy({ targetPort: server.port, delayMs: FIELD_ONE_WAY_DELAY_MS, bytesPerSecond: FIELD_BYTES_PER_SECOND, lifetimeMs: 5 * 60_000 });
    const client = new SyncClient({ baseUrl: proxy.url, token, timeoutMs: REQUEST_TIMEOUT_MS });
    clients.push(client);
    for (const id of ids) {
      const story = direct.stories.get(id)!;
      client.addStory(id, Y.encodeStateAsUpdate(story.doc)).acked = story.acked;
    }
    const uploadBytes = JSON.stringify({ stories: ids.map((id) => client.entry(client.stories.get(id)!)) }).length;
    proxy.cutAfter({ afterBytes: Math.floor(uploadBytes / 2), direction: 'up' });

    const start = performance.now();
    let attempts = 0;
    let failures = 0;
    const retrying = async <T>(work: () => Promise<T>): Promise<T> => {
      for (;;) {
        attempts++;
        try {
          return await work();
        } catch (error) {
          if (++failures > MAX_ROUNDS) throw error;
          ctx.log(`protocol.fieldlink10: request failed (${(error as Error).message}); retrying in ${RETRY_PAUSE_MS} ms`);
          await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
        }
      }
    };
    await retrying(() => client.changes(cursor));
    let pending = ids.filter((id) => client.stories.get(id)!.dirty);
    while (pending.length > 0) {
      const stats = await retrying(() => client.syncAll(pending));
      if (stats.refused.length) throw new Error(`sync refused: ${JSON.stringify(stats.refused)}`);
      pending = pending.filter((id) => !client.converged(client.stories.get(id)!));
    }
    const ms = performance.now() - start;
    if (proxy.stats().cuts !== 1) throw new Error(`the link was cut ${proxy.stats().cuts} times, expected once`);
    ctx.log(
      `protocol.fieldlink10: ${FIELD_STORIES} stories × ${KEYSTROKES} keystrokes, ${FIELD_BYTES_PER_SECOND * 8 / 1000} kbit/s, ${2 * FIELD_ONE_WAY_DELAY_MS} ms RTT, ` +
        `cut after ${Math.floor(uploadBytes / 2)} of ${uploadBytes} upload bytes: ${round2(ms)} ms, ${attempts} requests (${failures} failed), ` +
        `${proxy.stats().bytesUp} bytes up through the link`,
    );
    ctx.record('protocol.fieldlink10.ms', round2(ms));
  } finally {
    await proxy?.close();
  }
}
