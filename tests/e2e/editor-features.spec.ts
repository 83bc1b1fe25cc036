import { expect, test, type Page } from '@playwright/test';
import { createStory, openApp, openStory, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Issue 2, the rest of the slice a reporter touches: every metadata field, the body's
 * formatting (toolbar and keyboard), undo/redo, the language switch, Ctrl+N / Ctrl+F, the
 * status filter and the trash. Whatever is written must come back after a reload.
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

const body = (page: Page) => page.getByTestId('editor-body');

test('metadata and rich body survive a reload; undo and redo work', async ({ page }) => {
  await openApp(page, host!.url);
  const storyId = await createStory(page);

  await page.getByTestId('field-headline').fill('Banjir Rob Genangi Pesisir Utara');
  await page.getByTestId('field-subheadline').fill('Warga Muara Baru mengungsi');
  await page.getByTestId('field-dateline').fill('JAKARTA');
  await page.getByTestId('field-lead').fill('Air laut pasang merendam ratusan rumah.');
  await page.getByTestId('field-tags').fill('banjir, Jakarta, rob');

  await body(page).click();
  // Heading from the toolbar, then inline formats by keyboard.
  await page.getByTestId('toolbar-h2').click();
  await page.keyboard.type('Ketinggian air');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Air setinggi ');
  await page.keyboard.press('Control+b');
  await page.keyboard.type('setengah meter');
  await page.keyboard.press('Control+b');
  await page.keyboard.type(' merendam jalan, ');
  await page.keyboard.press('Control+i');
  await page.keyboard.type('kata warga');
  await page.keyboard.press('Control+i');
  await page.keyboard.type(', dan ');
  await page.keyboard.press('Control+u');
  await page.keyboard.type('pompa');
  await page.keyboard.press('Control+u');
  await page.keyboard.type(' menyala.');
  // A bulleted list of two items, then back to paragraphs.
  await page.keyboard.press('Enter');
  await page.getByTestId('toolbar-bullet').click();
  await page.keyboard.type('Muara Baru');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Penjaringan');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  // A quote.
  await page.getByTestId('toolbar-quote').click();
  await page.keyboard.type('Kami butuh tanggul');
  await page.keyboard.press('Enter');
  await page.getByTestId('toolbar-paragraph').click();
  // A link on a selected word.
  await page.keyboard.type('Sumber BMKG');
  await page.keyboard.press('Shift+Control+ArrowLeft');
  await page.getByTestId('toolbar-link').click();
  await page.getByTestId('link-url').fill('bmkg.go.id');
  await page.getByTestId('link-url').press('Enter');
  await page.keyboard.press('End');

  // Undo and redo by keyboard: the last word typed goes and comes back.
  await page.keyboard.type(' hari ini');
  await expect(body(page)).toContainText('BMKG hari ini');
  await page.keyboard.press('Control+z');
  await expect(body(page)).not.toContainText('hari ini');
  await page.keyboard.press('Control+Shift+z');
  await expect(body(page)).toContainText('BMKG hari ini');

  const checkAllThere = async () => {
    await expect(page.getByTestId('field-headline')).toHaveValue('Banjir Rob Genangi Pesisir Utara');
    await expect(page.getByTestId('field-subheadline')).toHaveValue('Warga Muara Baru mengungsi');
    await expect(page.getByTestId('field-dateline')).toHaveValue('JAKARTA');
    await expect(page.getByTestId('field-lead')).toHaveValue('Air laut pasang merendam ratusan rumah.');
    await expect(page.getByTestId('field-tags')).toHaveValue('banjir, Jakarta, rob');
    const b = body(page);
    await expect(b.locator('h2')).toHaveText('Ketinggian air');
    await expect(b.locator('.ed-bold')).toHaveText('setengah meter');
    await expect(b.locator('.ed-italic')).toHaveText('kata warga');
    await expect(b.locator('.ed-underline')).toHaveText('pompa');
    await expect(b.locator('ul > li')).toHaveText(['Muara Baru', 'Penjaringan']);
    await expect(b.locator('blockquote')).toHaveText('Kami butuh tanggul');
    await expect(b.locator('a')).toHaveText('BMKG');
    await expect(b.locator('a')).toHaveAttribute('href', 'https://bmkg.go.id');
    await expect(b).toContainText('Sumber BMKG hari ini');
    // The body only: heading 2 + paragraph 11 + list 3 + quote 3 + last line 4.
    await expect(page.getByTestId('word-count')).toHaveAttribute('data-words', '23');
  };
  await checkAllThere();
  await waitSaved(page);
  await page.reload();
  await openStory(page, storyId);
  await checkAllThere();
});

test('keyboard: Ctrl+N starts a story, Ctrl+F finds; language switch persists', async ({ page }) => {
  await openApp(page, host!.url);
  // Indonesian by default.
  await expect(page.getByTestId('lang-switch')).toHaveValue('id');
  await expect(page.getByTestId('story-new')).toContainText('Naskah baru');

  await page.keyboard.press('Control+n');
  await expect(body(page)).toHaveAttribute('contenteditable', 'true');
  await expect(page.getByTestId('field-headline')).toBeFocused();
  await page.getByTestId('field-headline').fill('Gempa Cianjur');
  await body(page).click();
  await page.keyboard.type('Relawan berdatangan ke posko.');
  await waitSaved(page);

  await page.keyboard.press('Control+f');
  await expect(page.getByTestId('story-search')).toBeFocused();
  await page.keyboard.type('posko');
  await expect(page.getByTestId('story-item')).toHaveCount(1);
  await expect(page.getByTestId('story-item')).toContainText('Gempa Cianjur');

  await page.getByTestId('lang-switch').selectOption('en');
  await expect(page.getByTestId('story-new')).toContainText('New story');
  await page.reload();
  await expect(page.getByTestId('lang-switch')).toHaveValue('en');
  await expect(page.getByTestId('story-new')).toContainText('New story');
  await page.getByTestId('lang-switch').selectOption('id');
  await expect(page.getByTestId('story-new')).toContainText('Naskah baru');
});

test('status filter and trash: a deleted story is recoverable', async ({ page }) => {
  await openApp(page, host!.url);
  const storyId = await createStory(page);
  await page.getByTestId('field-headline').fill('Harga Beras Turun');
  await waitSaved(page);
  await page.getByTestId('editor-back').click();
  const row = page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
  await expect(row).toContainText('Harga Beras Turun');
  await expect(row).toHaveAttribute('data-status', 'draft');

  const filter = page.getByTestId('story-filter-status');
  await filter.selectOption('draft');
  await expect(row).toBeVisible();
  await filter.selectOption('approved');
  await expect(page.getByTestId('story-item')).toHaveCount(0);
  await filter.selectOption('all');

  await row.getByTestId('story-delete').click();
  await expect(row).toHaveCount(0);
  await filter.selectOption('trash');
  await expect(row).toBeVisible();
  // Still in the trash after a reload: it is in core, not only on screen.
  await page.reload();
  await page.getByTestId('story-filter-status').selectOption('trash');
  await expect(row).toBeVisible();
  await row.getByTestId('story-restore').click();
  await expect(row).toHaveCount(0);
  await page.getByTestId('story-filter-status').selectOption('all');
  await expect(row).toContainText('Harga Beras Turun');
});
