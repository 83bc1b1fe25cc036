import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerBenchContext } from './context';
import { createScratchDatabase, type ScratchDatabase } from './pgDatabase';
import { percentile, round2 } from './stats';
import { storyTemplate, typeKeystrokes } from './syncStories';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { SyncClient } from '../support/syncClient';

/**
 * Server benchmarks (tests/bench/README.md): reconnect-syncs per second against one real
 * server process, and the p99 latency of such a sync with 200 clients online, on PGlite
 * and on PostgreSQL (DATABASE_URL). Everything goes through the server's HTTP API: demo
 * users log in, stories are created by POST /sync with a new Yjs document.
 *
 * A "reconnect-sync" is one POST /sync of a client that comes back online: all its
 * STORIES_PER_CLIENT stories, one of them with KEYS_PER_SYNC keystrokes typed offline (the
 * Yjs diff against the acknowledged server state vector), the others with their state
 * vector only (the client holds what the server has).
 */
export const SERVER_IDS = [
  'server.syncs_per_s.pglite',
  'server.p99_ms_200clients.pglite',
  'server.syncs_per_s.postgres',
  'server.p99_ms_200clients.postgres',
] as const;

const PASSWORD = 'redaksi123';
const DEMO_USERS = ['penulis1', 'penulis2', 'penulis3', 'redaktur1', 'redaktur2', 'admin'];
/** Sessions per demo user: the server allows 10 logins a minute per user and address, 120 per address. */
const SESSIONS_PER_USER = 8;
const CLIENTS = 200;
const STORIES_PER_CLIENT = 5;
const STORY_WORDS = 600;
const TEMPLATES = 10;
const KEYS_PER_SYNC = 20;

/** Throughput: this many clients sync back to back (closed loop). */
const THROUGHPUT_CONCURRENCY = 16;
const THROUGHPUT_WARMUP_MS = 2_000;
const THROUGHPUT_MS = 10_000;

/** Latency: all 200 clients online, each syncing again 1–3 s (uniform) after its previous answer. */
const LATENCY_THINK_MS: readonly [number, number] = [1_000, 3_000];
const LATENCY_WARMUP_MS = 3_000;
const LATENCY_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;

type Engine = 'pglite' | 'postgres';

interface BenchClient {
  sync: SyncClient;
  ids: string[];
  edits: number;
  seed: number;
}

export async function runServerBenchmarks(ctx: ServerBenchContext): Promise<void> {
  const errors: string[] = [];
  for (const engine of ['pglite', 'postgres'] as const) {
    if (!ctx.wants(`server.syncs_per_s.${engine}`) && !ctx.wants(`server.p99_ms_200clients.${engine}`)) continue;
    if (engine === 'postgres' && !process.env.DATABASE_URL) {
      ctx.log('server.*.postgres: not run — DATABASE_URL is not set (point it at a PostgreSQL whose role may CREATE DATABASE)');
      continue;
    }
    try {
      await benchEngine(ctx, engine);
    } catch (error) {
      errors.push(`${engine}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      ctx.log(`server.*.${engine}: failed — ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (errors.length) throw new Error(errors.join('\n'));
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function benchEngine(ctx: ServerBenchContext, engine: Engine): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `rr-bench-server-${engine}-`));
  let database: ScratchDatabase | null = null;
  let server: ServerProcess | null = null;
  const clients: BenchClient[] = [];
  try {
    if (engine === 'postgres') {
      database = await createScratchDatabase(process.env.DATABASE_URL!);
      ctx.log(`server (${engine}): scratch database ${database.name}`);
    }
    const profDir = process.env.BENCH_SERVER_CPU_PROF;
    const t0 = Date.now();
    server = await startServerProcess({
      dataDir,
      demo: true,
      ...(database ? { databaseUrl: database.url } : {}),
      repoRoot: ctx.paths.repoRoot,
      nodeArgs: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
      onStderr: (text) => ctx.log(`server (${engine}) stderr: ${text.trimEnd()}`),
    });
    ctx.log(`server (${engine}): started in ${Date.now() - t0} ms at ${server.url}${profDir ? `, CPU profile to ${profDir}` : ''}`);

    const tokens = await logInSessions(server.url);
    const templates = Array.from({ length: TEMPLATES }, (_, i) => storyTemplate(7_000 + i, STORY_WORDS));
    for (let i = 0; i < CLIENTS; i++) {
      const sync = new SyncClient({ baseUrl: server.url, token: tokens[i % tokens.length]!, timeoutMs: REQUEST_TIMEOUT_MS });
      const ids: string[] = [];
      for (let s = 0; s < STORIES_PER_CLIENT; s++) ids.push(sync.addStory(randomUUID(), templates[(i * STORIES_PER_CLIENT + s) % TEMPLATES]).id);
      clients.push({ sync, ids, edits: 0, seed: 100_000 * (i + 1) });
    }
    const tSeed = Date.now();
    await inParallel(clients, 8, async (client) => {
      const stats = await client.sync.syncAll(client.ids);
      if (stats.refused.length) throw new Error(`creating stories: refused ${JSON.stringify(stats.refused)}`);
    });
    ctx.log(`server (${engine}): ${tokens.length} sessions, ${CLIENTS * STORIES_PER_CLIENT} stories of ${STORY_WORDS} words created in ${Date.now() - tSeed} ms`);

    // Throughput: a few clients syncing back to back; warm-up first (JIT, pool, caches).
    const pid = server.process.pid;
    const loopClients = clients.slice(0, THROUGHPUT_CONCURRENCY);
    await closedLoop(loopClients, THROUGHPUT_WARMUP_MS);
    // Context: one client alone, so the server's own time per sync shows without queueing.
    const alone: number[] = [];
    const aloneTimeouts = { count: 0 };
    for (let i = 0; i < 20; i++) alone.push(await reconnectSync(clients[0]!, aloneTimeouts));
    ctx.log(`server (${engine}) context: one client alone, 20 reconnect-syncs one after another: median ${round2(percentile(alone, 50))} ms, max ${round2(Math.max(...alone))} ms`);
    const cpu0 = cpuSeconds(pid);
    const own0 = process.cpuUsage();
    const loop = await closedLoop(loopClients, THROUGHPUT_MS);
    const cpu1 = cpuSeconds(pid);
    const own = process.cpuUsage(own0);
    const answered = loop.latencies.length - loop.timeouts;
    const perSecond = answered / (loop.elapsedMs / 1000);
    ctx.log(
      `server.syncs_per_s.${engine}: ${answered} syncs answered (${loop.timeouts} without an answer in ${REQUEST_TIMEOUT_MS / 1000} s) in ${(loop.elapsedMs / 1000).toFixed(1)} s by ${THROUGHPUT_CONCURRENCY} clients; ` +
        `latency p50 ${round2(percentile(loop.latencies, 50))} ms, p99 ${round2(percentile(loop.latencies, 99))} ms; ` +
        `server CPU ${cpu0 !== null && cpu1 !== null ? `${(((cpu1 - cpu0) / (loop.elapsedMs / 1000)) * 100).toFixed(0)}% of one core, ${round2(((cpu1 - cpu0) * 1000) / Math.max(1, answered))} ms of CPU per sync` : 'unknown'}, ` +
        `bench process CPU ${(((own.user + own.system) / 1e6 / (loop.elapsedMs / 1000)) * 100).toFixed(0)}% (of one core)`,
    );
    ctx.log(`server (${engine}): load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (a figure well above the CPU count means other work shared the machine)`);
    ctx.record(`server.syncs_per_s.${engine}`, round2(perSecond));

    // Latency: every client online, each syncing every 1–3 s.
    const cpuL0 = cpuSeconds(pid);
    const latency = await thinkingClients(clients, LATENCY_WARMUP_MS, LATENCY_MS);
    const cpuL1 = cpuSeconds(pid);
    ctx.log(
      `server.p99_ms_200clients.${engine}: ${latency.latencies.length} syncs measured (${latency.timeouts} unanswered within ${REQUEST_TIMEOUT_MS / 1000} s, counted as that) over ${LATENCY_MS / 1000} s (${(latency.latencies.length / (LATENCY_MS / 1000)).toFixed(0)}/s offered by ${CLIENTS} clients); ` +
        `p50 ${round2(percentile(latency.latencies, 50))} ms, p95 ${round2(percentile(latency.latencies, 95))} ms, max ${round2(Math.max(...latency.latencies))} ms; ` +
        `server CPU ${cpuL0 !== null && cpuL1 !== null ? `${(((cpuL1 - cpuL0) / ((LATENCY_WARMUP_MS + LATENCY_MS) / 1000)) * 100).toFixed(0)}%` : 'unknown'}`,
    );
    ctx.record(`server.p99_ms_200clients.${engine}`, round2(percentile(latency.latencies, 99)));

    // Context only: all 200 clients reconnect at the same instant (a newsroom's Wi-Fi comes back).
    const burstTimeouts = { count: 0 };
    const burst = await Promise.all(clients.map((c) => reconnectSync(c, burstTimeouts)));
    ctx.log(`server (${engine}) context: 200 clients reconnecting at once (${burstTimeouts.count} unanswered): p50 ${round2(percentile(burst, 50))} ms, p99 ${round2(percentile(burst, 99))} ms, last answer after ${round2(Math.max(...burst))} ms`);
  } finally {
    for (const client of clients) client.sync.close();
    if (server) {
      const code = await server.stop('SIGTERM');
      if (code !== 0) ctx.log(`server (${engine}): exited with ${code} after SIGTERM`);
    }
    if (database) await database.drop().catch((error: unknown) => ctx.log(`server (${engine}): could not drop ${database!.name}: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** SESSIONS_PER_USER sessions for each demo user, a few logins at a time (each costs the server one scrypt). */
async function logInSessions(baseUrl: string): Promise<string[]> {
  const logins = DEMO_USERS.flatMap((user) => Array.from({ length: SESSIONS_PER_USER }, () => user));
  const tokens: string[] = [];
  await inParallel(logins, 4, async (username) => {
    const client = new SyncClient({ baseUrl, timeoutMs: REQUEST_TIMEOUT_MS });
    try {
      tokens.push((await client.login(username, PASSWORD)).token);
    } finally {
      client.close();
    }
  });
  return tokens;
}

/**
 * One reconnect-sync (see the top of this file); returns its latency in ms, from building
 * the request to the answer applied. A request that gets no answer within the deadline
 * counts as REQUEST_TIMEOUT_MS (the client would retry; Yjs makes the resend harmless), so
 * an overloaded server shows in the percentiles instead of aborting the run.
 */
async function reconnectSync(client: BenchClient, timeouts: { count: number }): Promise<number> {
  const story = client.sync.stories.get(client.ids[client.edits % client.ids.length]!)!;
  typeKeystrokes(story.doc, KEYS_PER_SYNC, client.seed + client.edits);
  client.edits++;
  const t0 = performance.now();
  let response;
  try {
    ({ response } = await client.sync.syncBatch(client.ids));
  } catch (error) {
    if (!(error instanceof Error) || !/no answer within/.test(error.message)) throw error;
    timeouts.count++;
    return REQUEST_TIMEOUT_MS;
  }
  const ms = performance.now() - t0;
  const refused = response.stories.filter((s) => !s.ok);
  if (refused.length) throw new Error(`sync refused: ${JSON.stringify(refused)}`);
  if (!client.sync.converged(story)) throw new Error(`story ${story.id}: not acknowledged after its sync`);
  return ms;
}

async function closedLoop(clients: readonly BenchClient[], durationMs: number): Promise<{ latencies: number[]; elapsedMs: number; timeouts: number }> {
  const latencies: number[] = [];
  const timeouts = { count: 0 };
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) latencies.push(await reconnectSync(client, timeouts));
    }),
  );
  return { latencies, elapsedMs: performance.now() - start, timeouts: timeouts.count };
}

/** Every client syncs, waits a think time, syncs again…; latencies of syncs started after the warm-up. */
async function thinkingClients(clients: readonly BenchClient[], warmupMs: number, durationMs: number): Promise<{ latencies: number[]; timeouts: number }> {
  const latencies: number[] = [];
  const timeouts = { count: 0 };
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  const [lo, hi] = LATENCY_THINK_MS;
  await Promise.all(
    clients.map(async (client, i) => {
      // Spread the first syncs over the first think time, so the clients are out of step.
      await sleep(((i * 7919) % CLIENTS) * (hi / CLIENTS));
      while (performance.now() < end) {
        const startedAt = performance.now();
        const ms = await reconnectSync(client, timeouts);
        if (startedAt >= measureFrom) latencies.push(ms);
        await sleep(lo + Math.random() * (hi - lo));
      }
    }),
  );
  if (latencies.length === 0) throw new Error('no sync completed in the measuring window');
  return { latencies, timeouts: timeouts.count };
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
