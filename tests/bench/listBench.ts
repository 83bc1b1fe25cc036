import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CoreEvents, CoreServices } from '../../shared/rpc/contract';
import { createRpcClient } from '../../shared/rpc/client';
import { freshPage } from './browser';
import type { BenchContext } from './context';
import { seedManyStories } from './seed';
import { median, round2 } from './stats';
import { startWebMode, type WebMode } from './webMode';
import { connectRpc } from './wsEndpoint';

export const LIST_IDS = ['start.list10k.ms', 'search.10k.ms'] as const;

const STORY_COUNT = 10_000;
const START_RUNS = 3;

/**
 * What a reporter types into the search box: single words, two words, a word still being
 * typed (prefix) and words that match nothing.
 */
export const SEARCH_QUERIES = [
  'banjir',
  'korupsi',
  'pelabuhan',
  'vaksin',
  'harga beras',
  'gubernur jakarta',
  'pemain liga',
  'investasi pabrik otomotif',
  'pemba',
  'kesehat',
  'tsunami',
] as const;

/** start.list10k.ms and search.10k.ms over one profile of 10,000 stories. */
export async function runListBenchmarks(ctx: BenchContext): Promise<void> {
  const profileDir = mkdtempSync(join(tmpdir(), 'ruang-bench-list-'));
  try {
    const t0 = performance.now();
    await seedManyStories(profileDir, STORY_COUNT);
    ctx.log(`seeded ${STORY_COUNT} stories in ${((performance.now() - t0) / 1000).toFixed(1)} s (not measured)`);
    if (ctx.wants('start.')) {
      const starts: number[] = [];
      // Run 0 warms the disk cache (the node binary, the bundle, the database file); not counted.
      for (let run = 0; run <= START_RUNS; run++) {
        const result = await startToList(ctx, profileDir);
        if (run > 0) starts.push(result.ms);
        ctx.log(
          `start run ${run}${run === 0 ? ' (warm-up)' : ''}: ${result.ms.toFixed(1)} ms ` +
            `(spawn → URL printed ${result.toLine.toFixed(1)} ms, page → list ${result.toList.toFixed(1)} ms)`,
        );
      }
      ctx.record('start.list10k.ms', round2(median(starts)));
    }
    if (ctx.wants('search.')) {
      const web = await startWebMode(ctx.paths.webJs, profileDir);
      try {
        await searchBenchmark(ctx, web.origin, web.token);
      } finally {
        await web.stop();
      }
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
}

interface StartResult {
  ms: number;
  toLine: number;
  toList: number;
}

async function startToList(ctx: BenchContext, profileDir: string): Promise<StartResult> {
  // The browser and its tab exist before the clock starts: we time core and the renderer.
  const { context, page } = await freshPage(ctx.browser);
  let web: WebMode | null = null;
  try {
    web = await startWebMode(ctx.paths.webJs, profileDir);
    const toLine = web.readyAt - web.spawnedAt;
    const gotoAt = performance.now();
    await page.goto(web.url, { waitUntil: 'commit' });
    try {
      await page.waitForFunction(
        () => {
          const item = document.querySelector<HTMLElement>('[data-testid="story-item"]');
          const search = document.querySelector<HTMLInputElement>('[data-testid="story-search"]');
          return !!item && item.checkVisibility() && !!search && !search.disabled && search.checkVisibility();
        },
        null,
        { polling: 'raf', timeout: 60_000 },
      );
    } catch (error) {
      const seen = await page.evaluate(() => document.body?.innerText.slice(0, 300) ?? '').catch(() => '?');
      throw new Error(`the story list never became interactive (page shows: ${JSON.stringify(seen)})`, { cause: error });
    }
    const toList = performance.now() - gotoAt;
    return { ms: toLine + toList, toLine, toList };
  } finally {
    // Page first: a page left open while its server goes away logs failed fetches.
    await context.close();
    await web?.stop();
  }
}

/** Median round trip of stories.search over web mode's RPC WebSocket, as the renderer calls it. */
async function searchBenchmark(ctx: BenchContext, origin: string, token: string): Promise<void> {
  const endpoint = await connectRpc(origin, token);
  const client = createRpcClient<CoreServices, CoreEvents>(endpoint);
  try {
    await client.services.stories.search({ query: 'warmup pasar' }); // first query compiles statements
    const times: number[] = [];
    for (const query of SEARCH_QUERIES) {
      const t0 = performance.now();
      const hits = await client.services.stories.search({ query });
      const ms = performance.now() - t0;
      times.push(ms);
      ctx.log(`search "${query}": ${hits.length} hits in ${ms.toFixed(1)} ms`);
    }
    ctx.record('search.10k.ms', round2(median(times)));
  } finally {
    client.dispose();
    endpoint.close();
  }
}
