import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { createStory, openApp, openStory, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Photos in the editor against the real core (web mode, Chromium): a JPEG carrying an IPTC/XMP
 * credit, caption and by-line is attached through the file picker, arrives with its credit
 * pre-filled, the caption is edited, and a reload shows the edited caption (it lives in the
 * story's Y.Doc, saved like the text). A file that is no photo is refused by name.
 */
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/photos/${name}`, import.meta.url));

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

async function attach(page: Page, name: string): Promise<void> {
  await page.getByTestId('photo-attach-input').setInputFiles(fixture(name));
}

test('attach a photo with an IPTC credit: credit shown, caption edited and kept after a reload', async ({ page }) => {
  await openApp(page, host!.url);
  const storyId = await createStory(page);
  await attach(page, 'iptc-xmp-credit.jpg');

  const item = page.getByTestId('photo-item');
  await expect(item).toHaveCount(1, { timeout: 30_000 });
  await expect(item).toHaveAttribute('data-sha256', /^[0-9a-f]{64}$/);
  await expect(item).toHaveAttribute('data-upload', /^(pending|uploading|done|error)$/);
  // The file's credit ("Istimewa") and caption are pre-filled; no missing-credit warning.
  await expect(item.getByTestId('photo-credit')).toHaveValue(/Istimewa/);
  await expect(item.getByTestId('photo-caption')).toHaveValue(/Klaten/);
  await expect(item.getByTestId('photo-missing-credit')).toHaveCount(0);

  await item.getByTestId('photo-caption').fill('Uji coba mobil pedesaan di Klaten, Jawa Tengah.');
  await waitSaved(page);

  await page.reload();
  await openStory(page, storyId);
  const reloaded = page.getByTestId('photo-item');
  await expect(reloaded).toHaveCount(1);
  await expect(reloaded.getByTestId('photo-caption')).toHaveValue('Uji coba mobil pedesaan di Klaten, Jawa Tengah.');
  await expect(reloaded.getByTestId('photo-credit')).toHaveValue(/Istimewa/);
});

test('a photo without a credit is flagged until a preset and a name are given; featured and inline in the body', async ({ page }) => {
  await openApp(page, host!.url);
  await createStory(page);
  await attach(page, 'no-metadata.png');
  const item = page.getByTestId('photo-item');
  await expect(item).toHaveCount(1, { timeout: 30_000 });
  await expect(item.getByTestId('photo-missing-credit')).toBeVisible();

  // The preset puts the caret after the slash: typing completes the name.
  await item.getByTestId('photo-credit-preset').filter({ hasText: 'ANTARA/' }).click();
  await expect(item.getByTestId('photo-credit')).toBeFocused();
  await page.keyboard.type('Galih Pradipta');
  await expect(item.getByTestId('photo-credit')).toHaveValue('Foto : ANTARA/Galih Pradipta');
  await expect(item.getByTestId('photo-missing-credit')).toHaveCount(0);

  await item.getByTestId('photo-featured').check();
  await expect(page.getByTestId('featured-photo')).toContainText('Foto : ANTARA/Galih Pradipta');

  await page.getByTestId('editor-body').click();
  await page.keyboard.type('Paragraf pertama.');
  await item.getByTestId('photo-insert').click();
  const inBody = page.getByTestId('editor-body').getByTestId('body-photo');
  await expect(inBody).toHaveCount(1);
  await expect(inBody).toContainText('Foto : ANTARA/Galih Pradipta');
  await waitSaved(page);

  // Selected with a click, deleted with Delete: gone from the body, still among the story's photos.
  await inBody.click();
  await page.keyboard.press('Delete');
  await expect(inBody).toHaveCount(0);
  await expect(item).toHaveCount(1);
  await expect(page.getByTestId('editor-body')).toContainText('Paragraf pertama.');
});

test('a file that is not a photo is refused by name, and nothing is added', async ({ page }) => {
  await openApp(page, host!.url);
  await createStory(page);
  await attach(page, 'not-a-photo.jpg');
  const refusal = page.getByTestId('photo-refusal');
  await expect(refusal).toHaveAttribute('data-code', 'photo_invalid', { timeout: 30_000 });
  await expect(refusal).toContainText('not-a-photo.jpg');
  await expect(page.getByTestId('photo-item')).toHaveCount(0);
});
