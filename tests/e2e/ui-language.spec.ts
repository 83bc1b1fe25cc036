import { expect, test } from '@playwright/test';
import { createStory, openApp, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * What the editor shows follows the UI language: the page break's label reads "Next page"
 * in the English UI and "Halaman Selanjutnya" in the Indonesian one, switching live.
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

test('the page break is labelled in the UI language', async ({ page }) => {
  await openApp(page, host!.url);
  await createStory(page);
  await page.getByTestId('editor-body').click();
  await page.keyboard.type('Paragraf pertama.');
  await page.getByTestId('insert-page-break').click();
  await page.keyboard.type('Paragraf kedua.');
  await waitSaved(page);
  const pageBreak = page.getByTestId('page-break');
  await expect(pageBreak).toHaveText('Halaman Selanjutnya');

  await page.getByTestId('lang-switch').selectOption('en');
  await expect(pageBreak).toHaveText('Next page');
  await expect(page.getByTestId('word-count')).toHaveText('4 words');

  // Reopened after a reload, in the saved language.
  await page.reload();
  await expect(page.getByTestId('editor-body')).toHaveAttribute('contenteditable', 'true');
  await expect(pageBreak).toHaveCount(1);
  await expect(pageBreak).toHaveText('Next page');

  await page.getByTestId('lang-switch').selectOption('id');
  await expect(pageBreak).toHaveText('Halaman Selanjutnya');
  await expect(page.getByTestId('word-count')).toHaveText('4 kata');
});
