import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../core';
import { seedStoriesFast } from '../testing/seedStore';
import { tempProfile } from '../testing/tempProfile';

const STORIES = 10_000;
let profile: ReturnType<typeof tempProfile>;
let core: Core;

beforeAll(() => {
  profile = tempProfile('rr-search-perf-');
  seedStoriesFast(profile.dir, STORIES, 300);
  core = openCore({ profileDir: profile.dir });
}, 120_000);
afterAll(() => {
  core?.close();
  profile?.remove();
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe(`search over ${STORIES} stories`, () => {
  it('answers typical queries with a median well under 50 ms', async () => {
    // From rare to "matches nearly everything", whole words and prefixes as typed.
    const queries = ['pemerintah', 'pem', 'harga cabai', 'ko', 'nikel tambang laut', 'kopi 9999', 'Sawit', 'banjir rakyat pasar'];
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const query of queries) {
        const t = performance.now();
        const hits = await core.services.stories.search({ query });
        times.push(performance.now() - t);
        expect(hits.length).toBeLessThanOrEqual(50);
      }
    }
    const m = median(times);
    console.log(`search median over ${STORIES} stories: ${m.toFixed(2)} ms (max ${Math.max(...times).toFixed(1)} ms)`);
    expect(m).toBeLessThan(40); // goal 50 (BENCH-CONTRACT); typically far lower on an idle machine
  });

  it('lists the newest page fast', async () => {
    const t = performance.now();
    const page = await core.services.stories.list({ limit: 100 });
    const ms = performance.now() - t;
    console.log(`list first 100 of ${page.total}: ${ms.toFixed(2)} ms`);
    expect(page.total).toBe(STORIES);
    expect(ms).toBeLessThan(50);
  });
});
