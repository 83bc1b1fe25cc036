import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getBody, getMetaMap } from '../../../shared/doc/storyDoc';
import { writeStoryBody } from '../../../shared/editor/headless';
import { sampleStoryBlocks } from '../../../shared/editor/headlessSample';
import { openCore, type Core } from '../core';
import { tempProfile } from '../testing/tempProfile';

/** Core-side costs for a 20,000-word story (BENCH-CONTRACT open.app.ms is measured end to end elsewhere). */
let profile: ReturnType<typeof tempProfile>;
let core: Core;
let storyId: string;
let client: Y.Doc;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

beforeAll(async () => {
  profile = tempProfile('rr-docs-perf-');
  core = openCore({ profileDir: profile.dir, compactEvery: 300, indexDelayMs: 1000 });
  storyId = (await core.services.stories.create({})).id;
  client = new Y.Doc();
  getMetaMap(client).set('headline', 'Laporan panjang');
  writeStoryBody(client, sampleStoryBlocks(20_000));
  await core.services.docs.push({ storyId, update: Y.encodeStateAsUpdate(client) });
  await core.services.docs.close({ storyId });
}, 60_000);
afterAll(() => {
  core?.close();
  profile?.remove();
});

/** A keystroke as the editor makes it: one character into a paragraph's text. */
function keystroke(doc: Y.Doc, n: number): Uint8Array {
  const paragraph = (getBody(doc).toDelta() as Array<{ insert: unknown }>)[200]!.insert as Y.XmlText;
  let update: Uint8Array | undefined;
  const capture = (u: Uint8Array) => (update = u);
  doc.on('update', capture);
  paragraph.insert(5 + (n % 20), 'a');
  doc.off('update', capture);
  return update!;
}

describe('a 20,000-word story in core', () => {
  it('opens from the store (snapshot + log) fast', async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      core.close();
      core = openCore({ profileDir: profile.dir, compactEvery: 300, indexDelayMs: 1000 });
      const t = performance.now();
      const { state } = await core.services.docs.open({ storyId });
      times.push(performance.now() - t);
      expect(state.byteLength).toBeGreaterThan(100_000);
      await core.services.docs.close({ storyId });
    }
    console.log(`open 20k-word story (cold, load + encode): median ${pct(times, 0.5).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms, state ${(Y.encodeStateAsUpdate(client).byteLength / 1024).toFixed(0)} KB`);
    expect(pct(times, 0.5)).toBeLessThan(150);
  });

  it('persists keystroke pushes quickly and compacts every 300', async () => {
    await core.services.docs.open({ storyId });
    const times: number[] = [];
    for (let i = 0; i < 610; i++) {
      const update = keystroke(client, i);
      const t = performance.now();
      await core.services.docs.push({ storyId, update });
      times.push(performance.now() - t);
    }
    // Pushes #300 and #600 after the seed's own push (#1) carry the compaction.
    const compactions = [times[298]!, times[598]!];
    const plain = times.filter((_, i) => i !== 298 && i !== 598);
    console.log(
      `push (keystroke into 20k-word doc): median ${pct(plain, 0.5).toFixed(2)} ms, p95 ${pct(plain, 0.95).toFixed(2)} ms; ` +
        `push that compacts: ${compactions.map((c) => c.toFixed(1)).join(' / ')} ms`,
    );
    const t = performance.now();
    core.flush();
    console.log(`projection + FTS refresh of the 20k-word doc: ${(performance.now() - t).toFixed(1)} ms`);
    expect(pct(plain, 0.5)).toBeLessThan(5);
    expect(Math.max(...compactions)).toBeLessThan(200);
    expect((await core.services.stories.get({ id: storyId })).wordCount).toBeGreaterThanOrEqual(20_000);
  });
});
