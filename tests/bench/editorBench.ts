import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { buildBarePage } from './bareBuild';
import { freshPage } from './browser';
import { withTimeout, type BenchContext } from './context';
import type { BodyExpectation } from './inPage';
import { seedLongStory } from './seed';
import { median, percentile, round2 } from './stats';
import { startStaticServer } from './staticServer';
import { longStory, textToType } from './storyFixture';
import { startWebMode } from './webMode';

export const EDITOR_IDS = [
  'keystroke.app.p50_ms',
  'keystroke.app.p95_ms',
  'keystroke.bare.p50_ms',
  'keystroke.bare.p95_ms',
  'open.app.ms',
  'open.bare.ms',
] as const;

const OPEN_RUNS = 5;
const KEYSTROKE_ROUNDS = 3;
/** Pause between keystrokes once the previous one committed: a fast typist, not a flood. */
const KEY_GAP_MS = 25;
const COMMIT_TIMEOUT_MS = 10_000;

/**
 * keystroke.* and open.*: the app (web mode, production build) against the bare Lexical +
 * Yjs page, alternating so both see the same machine noise.
 */
export async function runEditorBenchmarks(ctx: BenchContext): Promise<void> {
  const wantOpen = ctx.wants('open.');
  const wantKeys = ctx.wants('keystroke.');
  const story = longStory();
  const profileDir = mkdtempSync(join(tmpdir(), 'ruang-bench-story-'));
  try {
    ctx.log(`seeding a ${story.paragraphs.length}-paragraph story`);
    const seeded = await seedLongStory(profileDir, story);
    ctx.log(`stored document: ${seeded.state.byteLength} bytes; building the bare page`);
    await buildBarePage(ctx.paths.bareSource, ctx.paths.bareOut);
    const bare = await startStaticServer(ctx.paths.bareOut, { 'story.bin': seeded.state });
    try {
      if (wantOpen) await openBenchmarks(ctx, profileDir, bare.url, story.expect);
      if (wantKeys) await keystrokeBenchmarks(ctx, profileDir, bare.url, story.expect);
    } finally {
      await bare.close();
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
}

async function openBenchmarks(ctx: BenchContext, profileDir: string, bareUrl: string, expect: BodyExpectation): Promise<void> {
  const doApp = ctx.wants('open.app');
  const doBare = ctx.wants('open.bare');
  const app: number[] = [];
  const bare: number[] = [];
  // Run 0 warms the disk cache and Chromium's code cache for both pages; it is not counted.
  for (let run = 0; run <= OPEN_RUNS; run++) {
    let a = NaN;
    let b = NaN;
    if (doApp) {
      // A fresh core each time, so the story really comes from the local store, not core's memory.
      const web = await startWebMode(ctx.paths.webJs, profileDir);
      try {
        a = await openInApp(ctx.browser, web.url, expect);
      } finally {
        await web.stop();
      }
      if (run > 0) app.push(a);
    }
    if (doBare) {
      b = await openInBare(ctx.browser, bareUrl, expect);
      if (run > 0) bare.push(b);
    }
    ctx.log(`open run ${run}${run === 0 ? ' (warm-up)' : ''}: app ${a.toFixed(1)} ms, bare ${b.toFixed(1)} ms`);
  }
  if (doApp) ctx.record('open.app.ms', round2(median(app)));
  if (doBare) ctx.record('open.bare.ms', round2(median(bare)));
}

async function openInApp(browser: Browser, url: string, expect: BodyExpectation): Promise<number> {
  const { context, page } = await freshPage(browser);
  try {
    await page.goto(url);
    const row = page.getByTestId('story-item').first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await page.evaluate((e) => window.__probes!.armOpen(e), expect);
    await row.click();
    return await withTimeout(page.evaluate(() => window.__probes!.openResult!), 30_000, 'app: story did not open');
  } finally {
    await context.close();
  }
}

async function openInBare(browser: Browser, url: string, expect: BodyExpectation): Promise<number> {
  const { context, page } = await freshPage(browser);
  try {
    await loadBare(page, url);
    return await withTimeout(
      page.evaluate(async (e) => {
        const committed = window.__probes!.whenBodyCommitted(e);
        const t0 = performance.now();
        window.__bare!.mount();
        return (await committed) - t0;
      }, expect),
      30_000,
      'bare: body did not commit',
    );
  } finally {
    await context.close();
  }
}

async function loadBare(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.__bare !== undefined);
  await page.evaluate(() => window.__bare!.loaded);
}

async function keystrokeBenchmarks(ctx: BenchContext, profileDir: string, bareUrl: string, expect: BodyExpectation): Promise<void> {
  const doApp = ctx.wants('keystroke.app');
  const doBare = ctx.wants('keystroke.bare');
  const text = textToType();
  const app: TypedSamples = { samples: [], fromEventStamp: [] };
  const bare: TypedSamples = { samples: [], fromEventStamp: [] };
  const web = doApp ? await startWebMode(ctx.paths.webJs, profileDir) : null;
  try {
    for (let round = 1; round <= KEYSTROKE_ROUNDS; round++) {
      const line: string[] = [];
      if (web) {
        const a = await typeInApp(ctx.browser, web.url, expect, text);
        app.samples.push(...a.samples);
        app.fromEventStamp.push(...a.fromEventStamp);
        line.push(`app ${summary(a.samples)}`);
      }
      if (doBare) {
        const b = await typeInBare(ctx.browser, bareUrl, expect, text);
        bare.samples.push(...b.samples);
        bare.fromEventStamp.push(...b.fromEventStamp);
        line.push(`bare ${summary(b.samples)}`);
      }
      ctx.log(`keystroke round ${round}: ${line.join('; ')}`);
    }
  } finally {
    await web?.stop();
  }
  for (const [name, s] of [['app', app], ['bare', bare]] as const) {
    if (s.samples.length === 0) continue;
    ctx.record(`keystroke.${name}.p50_ms`, round2(percentile(s.samples, 50)));
    ctx.record(`keystroke.${name}.p95_ms`, round2(percentile(s.samples, 95)));
    // Context only (not an id): the same commits timed from the keydown event's timeStamp,
    // which also counts time the event waited for a busy main thread.
    ctx.log(`keystroke.${name} from event.timeStamp: ${summary(s.fromEventStamp)}`);
  }
}

function summary(samples: readonly number[]): string {
  return `p50 ${percentile(samples, 50).toFixed(2)} p95 ${percentile(samples, 95).toFixed(2)} max ${Math.max(...samples).toFixed(2)} ms`;
}

interface TypedSamples {
  samples: number[];
  fromEventStamp: number[];
}

async function typeInApp(browser: Browser, url: string, expect: BodyExpectation, text: string): Promise<TypedSamples> {
  const { context, page } = await freshPage(browser);
  try {
    await page.goto(url);
    const row = page.getByTestId('story-item').first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    await withTimeout(page.evaluate((e) => window.__probes!.whenBodyCommitted(e), expect), 30_000, 'app: story did not open');
    return await typeMidStory(page, expect, text);
  } finally {
    await context.close();
  }
}

async function typeInBare(browser: Browser, url: string, expect: BodyExpectation, text: string): Promise<TypedSamples> {
  const { context, page } = await freshPage(browser);
  try {
    await loadBare(page, url);
    await page.evaluate(async (e) => {
      const committed = window.__probes!.whenBodyCommitted(e);
      window.__bare!.mount();
      await committed;
    }, expect);
    return await typeMidStory(page, expect, text);
  } finally {
    await context.close();
  }
}

/** Clicks into the middle paragraph and types `text` one key at a time, each awaited to its commit. */
async function typeMidStory(page: Page, expect: BodyExpectation, text: string): Promise<TypedSamples> {
  const middle = page.locator('[data-testid="editor-body"] > *').nth(Math.floor(expect.blocks / 2));
  await middle.click();
  await page.waitForTimeout(300); // let focus and selection handlers settle
  await page.evaluate(() => {
    window.__probes!.startKeystrokes();
  });
  for (let i = 0; i < text.length; i++) {
    await page.keyboard.type(text[i]!);
    await page.evaluate(([n, t]) => window.__probes!.waitCommits(n, t), [i + 1, COMMIT_TIMEOUT_MS] as const);
    await page.waitForTimeout(KEY_GAP_MS);
  }
  const result = await page.evaluate((typed) => {
    const probe = window.__probes!.keystrokes()!;
    const body = document.querySelector('[data-testid="editor-body"]')?.textContent ?? '';
    return { samples: probe.samples, fromEventStamp: probe.fromEventStamp, landed: body.includes(typed.trim()) };
  }, text);
  if (!result.landed) throw new Error('the typed text is not in the editor: the measurement is not trustworthy');
  if (result.samples.length !== text.length) throw new Error(`expected ${text.length} commits, saw ${result.samples.length}`);
  return result;
}
