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
 * The sync protocol's share of `sync.reconnect100.*` (tests/bench/README.md), measured
 * WITHOUT core: a minimal client (tests/support/syncClient.ts) speaks /sync the way core's
 * engine is specified to (GET /changes since its cursor, then POST /sync with the Yjs diff
 * against the acknowledged server state vector and its own state vector, ≤ 100 stories a
 * request) through the weak-link proxy with 100 ms added RTT, against the real server
 * process on PGlite. These ids are NOT the contract's `sync.reconnect100.*`, which belong
 * to core's sync engine (its SQLite reads, its scheduling); they bound what the protocol
 * and the server cost, so the engine's figure can be read against them.
 */
export const PROTOCOL_IDS = ['protocol.reconnect100.ms', 'protocol.reconnect100.roundtrips'] as const;

const STORIES = 100;
const KEYSTROKES = 1_000;
const ONE_WAY_DELAY_MS = 50;
const REQUEST_TIMEOUT_MS = 30_000;
/** Round trips after which the client gives up: the goal is 3, something is wrong well before 10. */
const MAX_ROUNDS = 10;

export async function runProtocolBenchmarks(ctx: ServerBenchContext): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rr-bench-protocol-'));
  let server: ServerProcess | null = null;
  let proxy: LinkProxy | null = null;
  const clients: SyncClient[] = [];
  try {
    const t0 = Date.now();
    server = await startServerProcess({ dataDir, demo: true, repoRoot: ctx.paths.repoRoot });
    ctx.log(`protocol: server (PGlite) started in ${Date.now() - t0} ms`);

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
    for (const client of clients) client.close();
    await proxy?.close();
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
