import { expect, test } from '@playwright/test';
import { bodyWords, createStory, openApp, openStory, waitSaved } from '../support/app';
import { paragraphsOfWords } from '../support/text';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Issue 2, end to end: a reporter writes a story with no network at all (web mode, temp
 * profile, no server), and everything survives a page reload and a restart of core.
 */
test('draft survives reload and a core restart; search finds it by a body word', async ({ page }) => {
  const profile = tempProfile();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir);
    await openApp(page, host.url);
    const storyId = await createStory(page);

    const headline = 'Kemenperin Dorong Konsorsium Mobil Pedesaan';
    await page.getByTestId('field-headline').fill(headline);
    await page.getByTestId('field-dateline').fill('JAKARTA');

    const before = paragraphsOfWords(150, 50, 0);
    const after = paragraphsOfWords(150, 50, 150);
    const body = page.getByTestId('editor-body');
    await body.click();
    for (const [i, para] of before.entries()) {
      if (i > 0) await page.keyboard.press('Enter');
      await page.keyboard.type(para);
    }
    await page.getByTestId('insert-page-break').click();
    for (const [i, para] of after.entries()) {
      if (i > 0) await page.keyboard.press('Enter');
      await page.keyboard.type(para);
    }
    const expectedText = [...before, ...after].join(' ');

    await expect(page.getByTestId('word-count')).toHaveAttribute('data-words', '300');
    await waitSaved(page);

    const checkAllThere = async () => {
      await expect(page.getByTestId('field-headline')).toHaveValue(headline);
      await expect(page.getByTestId('field-dateline')).toHaveValue('JAKARTA');
      await expect(page.getByTestId('page-break')).toHaveCount(1);
      await expect(page.getByTestId('word-count')).toHaveAttribute('data-words', '300');
      await expect.poll(() => bodyWords(page)).toBe(expectedText);
      // The page break sits between the two halves.
      const firstHalfLast = before.at(-1)!;
      const breakFollows = await page
        .getByTestId('page-break')
        .evaluate((el) => el.previousElementSibling?.textContent ?? '');
      expect(breakFollows).toBe(firstHalfLast);
    };

    await page.reload();
    await openStory(page, storyId);
    await checkAllThere();

    expect(await host.stop('SIGTERM')).toBe(0);
    host = await startWebMode(profile.dir);
    await openApp(page, host.url);
    const row = page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
    await expect(row).toContainText(headline);
    await expect(row).toHaveAttribute('data-status', 'draft');
    await openStory(page, storyId);
    await checkAllThere();

    // Back to the list, search by a word that appears only in the body.
    await page.keyboard.press('Escape');
    await page.goto(host.url);
    await expect(page.getByTestId('story-list')).toBeVisible();
    await page.getByTestId('story-search').fill('Klaten');
    await expect(page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`)).toBeVisible();
    await page.getByTestId('story-search').fill('katayangtidakada');
    await expect(page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`)).toHaveCount(0);
  } finally {
    await host?.stop('SIGTERM');
    profile.remove();
  }
});
