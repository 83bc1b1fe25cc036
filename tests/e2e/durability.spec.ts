import { expect, test } from '@playwright/test';
import { bodyWords, createStory, openApp, openStory } from '../support/app';
import { articleWords } from '../support/text';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Durability (README "Where data lives"): kill -9 core while the reporter is typing; after a restart the
 * story opens and at most the last second of typing is missing (and nothing else is).
 */
test('kill -9 of core while typing loses at most the last second', async ({ page }) => {
  const profile = tempProfile();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir);
    await openApp(page, host.url);
    const storyId = await createStory(page);
    await page.getByTestId('field-headline').fill('Uji ketahanan');
    await page.getByTestId('editor-body').click();

    const words = articleWords();
    let typed = '';
    const typedAt: Array<{ at: number; length: number }> = [];
    const typingMs = 6_000;
    const start = Date.now();
    for (let i = 0; Date.now() - start < typingMs; i++) {
      const chunk = (i > 0 ? ' ' : '') + words[i % words.length]!;
      await page.keyboard.type(chunk);
      typed += chunk;
      typedAt.push({ at: Date.now(), length: typed.length });
    }
    host.process.kill('SIGKILL');
    const killedAt = Date.now();
    await host.stop();

    host = await startWebMode(profile.dir);
    await openApp(page, host.url);
    await openStory(page, storyId);
    await expect(page.getByTestId('field-headline')).toHaveValue('Uji ketahanan');
    const persisted = await bodyWords(page);

    // Everything typed up to one second before the kill is there, in order, unchanged.
    const mustHave = typedAt.filter((t) => t.at <= killedAt - 1_000).at(-1)?.length ?? 0;
    expect(mustHave).toBeGreaterThan(50);
    expect(typed.startsWith(persisted)).toBe(true);
    expect(persisted.length).toBeGreaterThanOrEqual(typed.slice(0, mustHave).trim().length);
    const lostMs = killedAt - (typedAt.filter((t) => t.length <= persisted.length).at(-1)?.at ?? start);
    test.info().annotations.push({
      type: 'durability',
      description: `typed ${typed.length} chars, persisted ${persisted.length}, lost ${typed.length - persisted.length} chars ≈ last ${lostMs} ms`,
    });
  } finally {
    await host?.stop('SIGKILL');
    profile.remove();
  }
});
