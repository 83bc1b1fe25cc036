import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { buildBarePage } from './bareBuild';
import { freshPage } from './browser';
import { withTimeout, type BenchContext } from './context';
import type { BodyExpectation, OpenTiming } from './inPage';
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
    ctx.log(`seeding ${OPEN_RUNS + 1} copies of a ${story.paragraphs.length}-paragraph story`);
    const seeded = await seedLongStory(profileDir, story, OPEN_RUNS + 1);
    ctx.log(`stored document: ${seeded.state.byteLength} bytes; building the bare page`);
    await buildBarePage(ctx.paths.bareSource, ctx.paths.bareOut);
    const bare = await startStaticServer(ctx.paths.bareOut, { 'story.bin': seeded.state });
    try {
      if (wantOpen) await openBenchmarks(ctx, profileDir, seeded.storyIds, bare.url, story.expect);
      if (wantKeys) await keystrokeBenchmarks(ctx, profileDir, seeded.storyIds[0]!, bare.url, story.expect);
    } finally {
      await bare.close();
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
}

/**
 * One running app and one bare page, each opening the story OPEN_RUNS + 1 times in turn.
 * Every app run opens a copy core has not loaded (so it comes from the local store) and
 * goes back to the list afterwards (docs.close). Run 0 is the first open after start, with
 * cold JIT in core and page: logged, not counted.
 */
async function openBenchmarks(
  ctx: BenchContext,
  profileDir: string,
  storyIds: readonly string[],
  bareUrl: string,
  expect: BodyExpectation,
): Promise<void> {
  const doApp = ctx.wants('open.app');
  const doBare = ctx.wants('open.bare');
  const app: OpenTiming[] = [];
  const bare: OpenTiming[] = [];
  const web = doApp ? await startWebMode(ctx.paths.webJs, profileDir) : null;
  const appTab = web ? await freshPage(ctx.browser) : null;
  const bareTab = doBare ? await freshPage(ctx.browser) : null;
  try {
    if (web && appTab) {
      await appTab.page.goto(web.url);
      await appTab.page.getByTestId('story-item').first().waitFor({ state: 'visible', timeout: 30_000 });
    }
    if (bareTab) await loadBare(bareTab.page, bareUrl);
    for (let run = 0; run <= OPEN_RUNS; run++) {
      const line: string[] = [];
      if (appTab) {
        await appTab.page.bringToFront();
        const a = await openInApp(appTab.page, storyIds[run]!, expect);
        if (run > 0) app.push(a);
        line.push(`app ${describeOpen(a)}`);
      }
      if (bareTab) {
        await bareTab.page.bringToFront();
        const b = await openInBare(bareTab.page, expect);
        if (run > 0) bare.push(b);
        line.push(`bare ${describeOpen(b)}`);
      }
      ctx.log(`open run ${run}${run === 0 ? ' (first after start, not counted)' : ''}: ${line.join('; ')}`);
    }
  } finally {
    await appTab?.context.close();
    await bareTab?.context.close();
    await web?.stop();
  }
  for (const [name, timings] of [['app', app], ['bare', bare]] as const) {
    if (timings.length === 0) continue;
    ctx.record(`open.${name}.ms`, round2(median(timings.map((t) => t.committed))));
    ctx.log(`open.${name}: median to the next painted frame ${median(timings.map((t) => t.painted)).toFixed(1)} ms (context, not an id)`);
  }
}

function describeOpen(t: OpenTiming): string {
  const parts = [`committed ${t.committed.toFixed(1)} ms`, `painted ${t.painted.toFixed(1)}`];
  if (t.requestSent !== null && t.answerArrived !== null) {
    parts.push(`[docs.open sent +${t.requestSent.toFixed(1)}, answered +${t.answerArrived.toFixed(1)}]`);
  }
  return parts.join(', ');
}

/** pointerdown on the story's row → body committed; then back to the list. */
async function openInApp(page: Page, storyId: string, expect: BodyExpectation): Promise<OpenTiming> {
  const row = page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await page.evaluate((e) => window.__probes!.armOpen(e), expect);
  await row.click();
  const timing = await withTimeout(page.evaluate(() => window.__probes!.openResult!), 30_000, 'app: story did not open');
  // Leaving closes the session (flush, docs.close): core drops the document.
  await page.getByTestId('editor-back').click();
  await page.getByTestId('editor-body').waitFor({ state: 'detached', timeout: 30_000 });
  return timing;
}

/** mount() with the stored bytes → body committed; then unmount. */
async function openInBare(page: Page, expect: BodyExpectation): Promise<OpenTiming> {
  const timing = await withTimeout(
    page.evaluate((e) => window.__probes!.timeOpen(e, () => window.__bare!.mount()), expect),
    30_000,
    'bare: body did not commit',
  );
  await page.evaluate(() => window.__bare!.unmount());
  await page.getByTestId('editor-body').waitFor({ state: 'detached', timeout: 30_000 });
  return timing;
}

async function loadBare(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.__bare !== undefined);
  await page.evaluate(() => window.__bare!.loaded);
}

async function keystrokeBenchmarks(
  ctx: BenchContext,
  profileDir: string,
  storyId: string,
  bareUrl: string,
  expect: BodyExpectation,
): Promise<void> {
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
        const a = await typeInApp(ctx.browser, web.url, storyId, expect, text);
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

async function typeInApp(browser: Browser, url: string, storyId: string, expect: BodyExpectation, text: string): Promise<TypedSamples> {
  const { context, page } = await freshPage(browser);
  try {
    await page.goto(url);
    const row = page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
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
