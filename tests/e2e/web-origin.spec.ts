import { expect, test, type Page } from '@playwright/test';
import { bodyWords, createStory, openApp, openStory, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Web mode started the way a user starts it (no --port) keeps one address per profile, so
 * a tab left open while core is down reconnects by itself when core is back, and the
 * words typed meanwhile reach the store. The access token leaves the address bar and the
 * history at once; the tab keeps it for reloads and reconnects.
 */

const TYPED_BEFORE = 'Kemenperin mendorong konsorsium mobil pedesaan di Klaten.';
// Words that appear nowhere else, so search proves they reached the store.
const TYPED_WHILE_DOWN = 'Sementara inti berhenti wartawan tetap menulis Lembayungsenja Karangkobar.';

const tabMarker = (page: Page) => page.evaluate(() => (window as unknown as { rrSameTab?: boolean }).rrSameTab === true);

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`words typed while core is down (${signal}) reach the store when it is back on the same address`, async ({ page, browser }) => {
    const profile = tempProfile();
    let host: WebModeHost | undefined;
    try {
      host = await startWebMode(profile.dir, null);
      const address = host.url;
      await openApp(page, address);
      const storyId = await createStory(page);
      await page.getByTestId('field-headline').fill('Naskah lintas mulai ulang');
      await page.getByTestId('editor-body').click();
      await page.keyboard.type(TYPED_BEFORE);
      await waitSaved(page);
      // Survives only as long as this very document does: proves no reload happened.
      await page.evaluate(() => ((window as unknown as { rrSameTab?: boolean }).rrSameTab = true));

      const code = await host.stop(signal);
      expect(code).toBe(signal === 'SIGTERM' ? 0 : null);
      host = undefined;
      await expect(page.getByTestId('connection-status')).toBeVisible();

      await page.getByTestId('editor-body').focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(` ${TYPED_WHILE_DOWN}`);
      const expected = `${TYPED_BEFORE} ${TYPED_WHILE_DOWN}`;
      await expect.poll(() => bodyWords(page)).toBe(expected);
      await expect(page.getByTestId('save-state')).not.toHaveAttribute('data-state', 'saved');

      // Started again as before: the same address, and the same tab catches up by itself.
      host = await startWebMode(profile.dir, null);
      const backAt = Date.now();
      expect(host.url).toBe(address);
      await expect(page.getByTestId('connection-status')).toHaveCount(0, { timeout: 30_000 });
      await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
      expect(await tabMarker(page)).toBe(true);
      test.info().annotations.push({ type: 'catch-up', description: `the tab had its words saved ${Date.now() - backAt} ms after core was back` });

      // Read back from the store alone: another restart and a fresh browser context
      // (no stash in its localStorage, no token in its sessionStorage).
      expect(await host.stop('SIGTERM')).toBe(0);
      host = await startWebMode(profile.dir, null);
      expect(host.url).toBe(address);
      const fresh = await browser.newContext();
      try {
        const reader = await fresh.newPage();
        await openApp(reader, host.url);
        await reader.getByTestId('story-search').fill('Lembayungsenja');
        await expect(reader.locator('[data-testid="story-item"]')).toHaveCount(1);
        await expect(reader.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`)).toBeVisible();
        await openStory(reader, storyId);
        await expect.poll(() => bodyWords(reader)).toBe(expected);
      } finally {
        await fresh.close();
      }
    } finally {
      await host?.stop('SIGTERM');
      profile.remove();
    }
  });
}

test('words stashed by a tab reloaded while core was down reach the store once it is back on the same address', async ({ page, browser }) => {
  const profile = tempProfile();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir, null);
    const address = host.url;
    await openApp(page, address);
    const storyId = await createStory(page);
    await page.getByTestId('editor-body').click();
    await page.keyboard.type(TYPED_BEFORE);
    await waitSaved(page);

    await host.stop('SIGKILL');
    host = undefined;
    await expect(page.getByTestId('connection-status')).toBeVisible();
    await page.getByTestId('editor-body').focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(` ${TYPED_WHILE_DOWN}`);
    await expect(page.getByTestId('save-state')).not.toHaveAttribute('data-state', 'saved');
    const storyAddress = page.url();
    expect(storyAddress).not.toContain('token');

    // The reporter reloads while core is down: the page goes away (its unsent words go to
    // this origin's localStorage) and the browser shows its own error page.
    await page.reload().catch(() => {});
    host = await startWebMode(profile.dir, null);
    expect(host.url).toBe(address);
    // Back on the same origin, the same tab (its sessionStorage holds the token) reopens the story.
    // The failed reload may still be committing the browser's error page, which interrupts a
    // navigation started meanwhile: navigate again until one lands.
    await expect(async () => {
      await page.goto(storyAddress);
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId('editor-body')).toBeVisible();
    await expect.poll(() => bodyWords(page)).toBe(`${TYPED_BEFORE} ${TYPED_WHILE_DOWN}`);
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });

    expect(await host.stop('SIGTERM')).toBe(0);
    host = await startWebMode(profile.dir, null);
    const fresh = await browser.newContext();
    try {
      const reader = await fresh.newPage();
      await openApp(reader, host.url);
      await openStory(reader, storyId);
      await expect.poll(() => bodyWords(reader)).toBe(`${TYPED_BEFORE} ${TYPED_WHILE_DOWN}`);
    } finally {
      await fresh.close();
    }
  } finally {
    await host?.stop('SIGTERM');
    profile.remove();
  }
});

test('the access token leaves the address bar and history; reload and Back/Forward still connect', async ({ page, browser }) => {
  const profile = tempProfile();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir, null);
    const bare = `http://127.0.0.1:${host.port}/`;
    await openApp(page, host.url);
    expect(page.url()).toBe(bare);

    await page.reload();
    await expect(page.getByTestId('story-list')).toBeVisible();
    await expect(page.getByTestId('connection-status')).toHaveCount(0);
    expect(page.url()).toBe(bare);

    // The history entry itself no longer holds the token: Back, then Forward, lands on
    // the bare address, and the page still connects with the token this tab kept.
    await page.goBack();
    expect(page.url()).not.toContain('token');
    await page.goForward();
    expect(page.url()).toBe(bare);
    await expect(page.getByTestId('story-list')).toBeVisible();
    await expect(page.getByTestId('connection-status')).toHaveCount(0);

    // A new tab on the bare address has no token and says so; pasting the full address
    // into it (only the hash changes) lets it start.
    const other = await browser.newContext();
    try {
      const tab = await other.newPage();
      await tab.goto(bare);
      await expect(tab.getByTestId('connection-status')).toHaveAttribute('data-state', 'no-token');
      await tab.goto(host.url);
      await expect(tab.getByTestId('story-list')).toBeVisible();
      await expect(tab.getByTestId('connection-status')).toHaveCount(0);
      expect(tab.url()).toBe(bare);
    } finally {
      await other.close();
    }
  } finally {
    await host?.stop('SIGTERM');
    profile.remove();
  }
});
