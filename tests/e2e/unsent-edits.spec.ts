import { expect, test, type Page } from '@playwright/test';
import { bodyWords, createStory, openApp, openStory, waitSaved } from '../support/app';
import { freePort } from '../support/freePort';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Issue 4/5, end to end with the real core: edits the page could not push before it went
 * away (core stopped, the page closed or reloaded) are in localStorage, and the next start
 * drains them into core without the story being opened: search finds them at once.
 * Restarts reuse the port (`--port N`) because localStorage belongs to the page's origin.
 */

const stashKeys = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ruang:unsent:') || k.startsWith('ruang:refused:')));

async function expectSearchFinds(page: Page, word: string, storyId: string): Promise<void> {
  await page.getByTestId('story-search').fill(word);
  await expect(page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`)).toBeVisible();
}

test('words typed while core is stopped reach the store at the next start, without opening the story', async ({ page }) => {
  const profile = tempProfile();
  const port = await freePort();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir, port);
    await openApp(page, host.url);
    const storyId = await createStory(page);
    const body = page.getByTestId('editor-body');
    await body.click();
    await page.keyboard.type('Hujan deras mengguyur Bogor sejak pagi.');
    await waitSaved(page);

    expect(await host.stop('SIGTERM')).toBe(0);
    await page.keyboard.press('Enter');
    const offline = 'Warga melaporkan zamrudkatulistiwa di tepi sungai Ciliwung.';
    await page.keyboard.type(offline);
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'error');
    // The tab goes away while core is still down: what was not pushed is in the stash.
    await page.goto('about:blank');

    host = await startWebMode(profile.dir, port);
    await openApp(page, host.url);
    // Drained at connect: the stash is gone, and search finds the offline words in the
    // story nobody opened.
    await expect.poll(() => stashKeys(page)).toEqual([]);
    await expectSearchFinds(page, 'zamrudkatulistiwa', storyId);

    await openStory(page, storyId);
    await expect.poll(() => bodyWords(page)).toBe(`Hujan deras mengguyur Bogor sejak pagi. ${offline}`);
  } finally {
    await host?.stop('SIGTERM');
    profile.remove();
  }
});

test('a push pending when core stops is not lost: a hung push times out, and after a restart the words are in the store', async ({ page }) => {
  const profile = tempProfile();
  const port = await freePort();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir, port);
    await openApp(page, host.url);
    const storyId = await createStory(page);
    await page.getByTestId('editor-body').click();
    await page.keyboard.type('Paragraf pertama sudah tersimpan.');
    await waitSaved(page);

    // Core hangs (frozen, its socket still open): the next pushes get no answer at all.
    host.process.kill('SIGSTOP');
    await page.keyboard.press('Enter');
    const last = 'Kalimat terakhir diketik ketika layanan macet: kenarimerahputih.';
    await page.keyboard.type(last);
    // The push's deadline turns the hang into "not saved yet, retrying" instead of waiting for ever.
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'error', { timeout: 30_000 });
    // The page goes away with the push still pending, then core is stopped the way quitting stops it.
    await page.goto('about:blank');
    host.process.kill('SIGTERM');
    host.process.kill('SIGCONT');
    await host.stop('SIGTERM');

    host = await startWebMode(profile.dir, port);
    await openApp(page, host.url);
    await expect.poll(() => stashKeys(page)).toEqual([]);
    await expectSearchFinds(page, 'kenarimerahputih', storyId);
    await openStory(page, storyId);
    await expect.poll(() => bodyWords(page)).toBe(`Paragraf pertama sudah tersimpan. ${last}`);
  } finally {
    host?.process.kill('SIGCONT');
    await host?.stop('SIGTERM');
    profile.remove();
  }
});

test('stashed bytes core refuses are kept apart, the reporter is told, and later edits still save', async ({ page }) => {
  const profile = tempProfile();
  const port = await freePort();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir, port);
    await openApp(page, host.url);
    const storyId = await createStory(page);
    await page.getByTestId('editor-body').click();
    await page.keyboard.type('Isi yang sudah tersimpan.');
    await waitSaved(page);

    // Bytes that are no Yjs update (a damaged stash): core answers invalid_input.
    await page.evaluate((id) => localStorage.setItem(`ruang:unsent:${id}`, btoa('\x01\x02\x03')), storyId);
    await page.reload(); // reopens the story (?story=) while the drain runs

    await expect(page.getByTestId('save-refused')).toHaveAttribute('data-count', '1');
    await expect(page.getByTestId('notice')).toBeVisible();
    const kept = await page.evaluate((id) => localStorage.getItem(`ruang:refused:${id}`), storyId);
    expect(JSON.parse(kept ?? '[]')).toMatchObject([{ update: 'AQID' }]);
    expect(await page.evaluate((id) => localStorage.getItem(`ruang:unsent:${id}`), storyId)).toBeNull();

    // Nothing else is held up: the story is intact and new typing is saved.
    await expect.poll(() => bodyWords(page)).toBe('Isi yang sudah tersimpan.');
    await expect(page.getByTestId('word-count')).toHaveAttribute('data-words', '4');
    await page.getByTestId('editor-body').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Tambahan sesudahnya.');
    await waitSaved(page);
    await page.goto(host.url);
    await expectSearchFinds(page, 'Tambahan', storyId);
  } finally {
    await host?.stop('SIGTERM');
    profile.remove();
  }
});
