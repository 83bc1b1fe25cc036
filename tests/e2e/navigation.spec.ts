import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { bodyWords, createStory, openApp, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * The browser's history in web mode: opening a story and going back to the list are
 * history entries (hash routes `#/` and `#/story/<id>`), so Back, Forward and reload work
 * and never leave the app for a blank page.
 */
let host: WebModeHost | undefined;
let profile: ReturnType<typeof tempProfile>;

test.beforeEach(async () => {
  profile = tempProfile();
  host = await startWebMode(profile.dir);
});
test.afterEach(async () => {
  await host?.stop('SIGTERM');
  host = undefined;
  profile.remove();
});

const editor = (page: Page) => page.getByTestId('editor-body');
const row = (page: Page, id: string) => page.locator(`[data-testid="story-item"][data-story-id="${id}"]`);
const historyLength = (page: Page) => page.evaluate(() => window.history.length);
const origin = () => `http://127.0.0.1:${host!.port}`;

test('Back and Forward move between the list and a story; a story address reloads', async ({ page }) => {
  await openApp(page, host!.url);
  const storyId = await createStory(page);
  await expect(page).toHaveURL(`${origin()}/#/story/${storyId}`);
  const text = 'Pasar Tanah Abang kembali ramai menjelang Lebaran.';
  await editor(page).click();
  await page.keyboard.type(text);
  await waitSaved(page);

  // The editor's own back button returns to the list entry it came from (no new entry).
  const lengthWithStory = await historyLength(page);
  await page.getByTestId('editor-back').click();
  await expect(editor(page)).toHaveCount(0);
  await expect(row(page, storyId)).toBeVisible();
  expect(await historyLength(page)).toBe(lengthWithStory);

  // Opening it from the list is a history entry.
  await row(page, storyId).click();
  await expect(editor(page)).toBeVisible();
  await expect(page).toHaveURL(`${origin()}/#/story/${storyId}`);
  await expect.poll(() => bodyWords(page)).toBe(text);

  // Back: the list, still in the app.
  await page.goBack();
  await expect(editor(page)).toHaveCount(0);
  await expect(page.getByTestId('story-list')).toBeVisible();
  await expect(row(page, storyId)).toBeVisible();

  // Forward: the same story, with its text.
  await page.goForward();
  await expect(page).toHaveURL(`${origin()}/#/story/${storyId}`);
  await expect(editor(page)).toHaveAttribute('contenteditable', 'true');
  await expect.poll(() => bodyWords(page)).toBe(text);

  // Reload on the story's address: the story again.
  await page.reload();
  await expect(editor(page)).toHaveAttribute('contenteditable', 'true');
  await expect(page.locator(`[data-story-id="${storyId}"] [data-testid="editor-body"]`)).toBeVisible();
  await expect.poll(() => bodyWords(page)).toBe(text);

  // After the reload, Esc closes it, back to the list entry it was first opened from.
  await editor(page).click();
  await page.keyboard.press('Escape');
  await expect(editor(page)).toHaveCount(0);
  await expect(row(page, storyId)).toBeVisible();
  expect(await page.evaluate(() => window.location.hash)).not.toContain('/story/');
  // The story is forward of here, so the close went back instead of adding an entry.
  await page.goForward();
  await expect.poll(() => bodyWords(page)).toBe(text);

  // Ctrl+N still opens a new story from here, as a new entry; Back returns to the first.
  await page.keyboard.press('Control+n');
  await expect(page).not.toHaveURL(new RegExp(storyId));
  await expect(page).toHaveURL(/#\/story\/[0-9a-f-]{36}$/);
  await page.goBack();
  await expect(page).toHaveURL(`${origin()}/#/story/${storyId}`);
  await expect.poll(() => bodyWords(page)).toBe(text);
});

test('an address naming no story says so and shows the list', async ({ page }) => {
  await openApp(page, host!.url);
  const storyId = await createStory(page);
  await page.getByTestId('editor-back').click();
  await expect(editor(page)).toHaveCount(0);

  // Each address is opened as a new page load (the path differs from the current one, so
  // this is not an in-page hash change), as if pasted into the address bar.
  const addresses = [`/index.html#/story/${randomUUID()}`, '/#/story/bukan-naskah'];
  for (const address of addresses) {
    await page.goto(`${origin()}${address}`);
    await expect(page.getByTestId('notice')).toContainText('Naskah tidak ditemukan');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/');
    await expect(editor(page)).toHaveCount(0);
    await expect(row(page, storyId)).toBeVisible();
  }
});
