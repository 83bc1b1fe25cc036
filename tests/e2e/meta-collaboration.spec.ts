import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { DATABASE_FILE } from '../../electron/core/core';
import { MIGRATIONS } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/openDatabase';
import { PreviousVersionStore } from '../../electron/core/testing/previousVersionStore';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { writeStoryBody } from '../../shared/editor/headless';
import { createStory, openApp, openStory, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Headline, subheadline and lead are collaborative text: two windows editing the same lead
 * both keep their words (core does not relay edits between open windows yet, so each sees
 * the other's words when it next opens the story), the field's own undo still works, and
 * what was typed comes back after a reload.
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

test('two windows editing the lead of one story: both words are kept', async ({ context }) => {
  const first = await context.newPage();
  await openApp(first, host!.url);
  const storyId = await createStory(first);
  await first.getByTestId('field-headline').fill('Banjir Rob Genangi Pesisir');
  await first.getByTestId('field-lead').fill('Air laut pasang merendam rumah warga.');
  await waitSaved(first);

  const second = await context.newPage();
  await openApp(second, host!.url);
  await openStory(second, storyId);
  const lead = (page: typeof first) => page.getByTestId('field-lead');
  await expect(lead(second)).toHaveValue('Air laut pasang merendam rumah warga.');
  await expect(lead(second)).not.toHaveAttribute('readonly');

  // Both type at once; neither window sees the other's words.
  await lead(first).click();
  await lead(first).press('Control+End');
  await lead(first).press('ArrowLeft'); // before the full stop
  await first.keyboard.type(' di Muara Baru');
  await lead(second).click();
  await lead(second).press('Control+Home');
  await second.keyboard.type('Kamis pagi, ');
  await waitSaved(first);
  await waitSaved(second);
  await expect(lead(first)).toHaveValue('Air laut pasang merendam rumah warga di Muara Baru.');
  await expect(lead(second)).toHaveValue('Kamis pagi, Air laut pasang merendam rumah warga.');

  const both = 'Kamis pagi, Air laut pasang merendam rumah warga di Muara Baru.';
  for (const page of [first, second]) {
    await page.reload();
    await openStory(page, storyId);
    await expect(lead(page)).toHaveValue(both);
    await expect(page.getByTestId('field-headline')).toHaveValue('Banjir Rob Genangi Pesisir');
  }
});

test('the headline’s own undo and redo work, and what is left is saved', async ({ page }) => {
  await openApp(page, host!.url);
  const storyId = await createStory(page);
  const headline = page.getByTestId('field-headline');
  await headline.click();
  await page.keyboard.type('Gempa Cianjur');
  await waitSaved(page);
  await headline.press('Control+a');
  await page.keyboard.type('Gempa Garut 😟');
  await expect(headline).toHaveValue('Gempa Garut 😟');
  await headline.press('Control+z');
  await expect(headline).toHaveValue('Gempa Cianjur');
  await headline.press('Control+Shift+z');
  await expect(headline).toHaveValue('Gempa Garut 😟');
  await headline.press('Control+z');
  await expect(headline).toHaveValue('Gempa Cianjur');
  await waitSaved(page);

  await page.reload();
  await openStory(page, storyId);
  await expect(page.getByTestId('field-headline')).toHaveValue('Gempa Cianjur');
  await page.getByTestId('editor-back').click();
  await expect(page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`)).toContainText('Gempa Cianjur');
});

test('text composed with an input method (IME) is saved once the composition ends', async ({ page }) => {
  await openApp(page, host!.url);
  const storyId = await createStory(page);
  const lead = page.getByTestId('field-lead');
  await lead.click();
  await page.keyboard.type('Warga berkata: ');
  await waitSaved(page);
  // Chromium's own IME path: a composition in progress, then committed.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'か', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.imeSetComposition', { text: 'かな', selectionStart: 2, selectionEnd: 2 });
  await expect(lead).toHaveValue('Warga berkata: かな');
  await cdp.send('Input.insertText', { text: '仮名' });
  await expect(lead).toHaveValue('Warga berkata: 仮名');
  await page.keyboard.type(' 🙏');
  await waitSaved(page);

  await page.reload();
  await openStory(page, storyId);
  await expect(page.getByTestId('field-lead')).toHaveValue('Warga berkata: 仮名 🙏');
});

test('a story stored by the previous version opens with its words and can be edited', async ({ page }) => {
  // A profile as the previous version left it: schema up to 0001, meta fields as plain strings.
  await host!.stop('SIGTERM');
  profile.remove();
  profile = tempProfile();
  const db = openDatabase(join(profile.dir, DATABASE_FILE), { migrations: MIGRATIONS.filter((m) => m.id === '20261128_0001_init') });
  const docs = new PreviousVersionStore(db);
  const storyId = docs.create(1, Date.now());
  const old = new Y.Doc();
  old.transact(() => {
    getMetaMap(old).set('headline', 'Harga Beras Naik');
    getMetaMap(old).set('subheadline', 'Pedagang mengeluh');
    getMetaMap(old).set('dateline', 'JAKARTA');
    getMetaMap(old).set('lead', 'Harga beras di Pasar Induk naik.');
  });
  writeStoryBody(old, [{ type: 'paragraph', children: ['Pedagang beras mengeluh.'] }]);
  docs.push(storyId, Y.encodeStateAsUpdate(old));
  db.close();

  host = await startWebMode(profile.dir);
  await openApp(page, host.url);
  const row = page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
  await expect(row).toContainText('Harga Beras Naik');
  await openStory(page, storyId);
  await expect(page.getByTestId('field-headline')).toHaveValue('Harga Beras Naik');
  await expect(page.getByTestId('field-subheadline')).toHaveValue('Pedagang mengeluh');
  await expect(page.getByTestId('field-dateline')).toHaveValue('JAKARTA');
  const lead = page.getByTestId('field-lead');
  await expect(lead).toHaveValue('Harga beras di Pasar Induk naik.');
  await expect(lead).not.toHaveAttribute('readonly');
  await lead.click();
  await lead.press('Control+End');
  await lead.press('ArrowLeft');
  await page.keyboard.type(' pekan ini');
  await waitSaved(page);

  await page.reload();
  await openStory(page, storyId);
  await expect(page.getByTestId('field-lead')).toHaveValue('Harga beras di Pasar Induk naik pekan ini.');
  await expect(page.getByTestId('field-headline')).toHaveValue('Harga Beras Naik');
  await expect(page.getByTestId('editor-body')).toContainText('Pedagang beras mengeluh.');
});
