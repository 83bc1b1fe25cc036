import { expect, test, type Page } from '@playwright/test';
import { openCore } from '../../electron/core/core';
import { openApp } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * The windowed story list with many stories: only a window of rows is in the DOM, rows
 * further down are fetched as they scroll into view, and the keyboard walks the rows.
 */
const STORIES = 1_000;
let host: WebModeHost | undefined;
let profile: ReturnType<typeof tempProfile>;
/** Story ids oldest first; the list shows newest first. */
let ids: string[] = [];

test.beforeEach(async () => {
  profile = tempProfile();
  // Seeded through core's own services before web mode opens the profile (one core per profile).
  let clock = 1_700_000_000_000;
  const core = openCore({ profileDir: profile.dir, now: () => (clock += 1_000) });
  try {
    ids = [];
    for (let i = 0; i < STORIES; i++) ids.push((await core.services.stories.create({})).id);
  } finally {
    core.close();
  }
  host = await startWebMode(profile.dir);
});
test.afterEach(async () => {
  await host?.stop('SIGTERM');
  host = undefined;
  profile.remove();
});

const list = (page: Page) => page.getByTestId('story-list');
const rowAt = (page: Page, position: number) => page.locator(`[data-testid="story-item"][aria-posinset="${position}"]`);

test('a thousand stories: a window of rows, fetched as they scroll into view; Tab walks the rows', async ({ page }) => {
  await openApp(page, host!.url);
  await expect(list(page)).toHaveAttribute('data-total', String(STORIES));
  await expect(page.locator('.list-count')).toHaveText('1.000 naskah');
  await expect(rowAt(page, 1)).toHaveAttribute('data-story-id', ids[STORIES - 1]!);
  const inDom = await page.getByTestId('story-item').count();
  expect(inDom).toBeGreaterThan(5);
  expect(inDom).toBeLessThan(60);

  // The bottom of the list: its rows come from a page core had not sent yet.
  await list(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(rowAt(page, STORIES)).toBeVisible();
  await expect(rowAt(page, STORIES)).toHaveAttribute('data-story-id', ids[0]!);
  expect(await page.getByTestId('story-item').count()).toBeLessThan(60);

  // Back at the top, the keyboard: each row is its open button then its trash button.
  await list(page).evaluate((el) => (el.scrollTop = 0));
  await rowAt(page, 1).locator('button').first().focus();
  for (let i = 0; i < 2 * 24; i++) await page.keyboard.press('Tab');
  const focusedRow = page.locator('[data-testid="story-item"]:has(:focus)');
  await expect(focusedRow).toHaveAttribute('aria-posinset', '25');
  await expect(focusedRow).toBeInViewport();
  // Enter on the focused row opens that story.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('editor-body')).toBeVisible();
  await expect(page.locator(`article[data-story-id="${ids[STORIES - 25]}"]`)).toBeVisible();
});
