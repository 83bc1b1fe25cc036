import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { createStory, openStory, waitSaved } from '../support/app';
import { writeMetaText } from '../../shared/doc/metaText';
import { SyncClient } from '../support/syncClient';
import { cachedDirectory, expectSynced as expectSyncedWithin, logInThroughScreen, NewsroomFixture } from '../support/newsroom';

/**
 * The newsroom end to end, every part real: the server as a process (PGlite, demo accounts),
 * three web-mode profiles, Chromium. penulis1 logs in, the server goes away, penulis1 writes
 * a story with rubrik and redaktur (pickers from the directory cached in the profile), the
 * server comes back at the same address and the story reaches it by itself. The assigned
 * redaktur, on another profile, sees it with rubrik, penulis and body; another penulis does not.
 *
 * One server for the file: a fresh PGlite data directory costs seconds to initialise.
 */

// Demo data (server/demo/demoData.ts): redaktur1 edits Nasional and everything below it.
const PASSWORD = 'redaksi123';
const RUBRIK_PATH = 'Nasional › Politik';
const REDAKTUR = { username: 'redaktur1', displayName: 'Ratna Kusumawardani' };
const PENULIS = { username: 'penulis1', displayName: 'Agus Prasetyo' };
const OTHER_PENULIS = 'penulis2';

const HEADLINE = 'DPR sahkan revisi undang-undang pemilu';
const BODY = 'Rapat paripurna berlangsung hingga larut malam.';
const CONTROL_HEADLINE = 'Catatan liputan banjir Medan';

/** Generous: two cores shared by several test runs; the engine retries with backoff (up to a minute). */
const SYNC_TIMEOUT = 90_000;

test.describe.configure({ mode: 'serial' });
test.setTimeout(300_000);

const newsroom = new NewsroomFixture();
test.beforeAll(() => newsroom.start());
test.afterAll(() => newsroom.close());

const logIn = (page: Page, username: string) => logInThroughScreen(page, { serverUrl: newsroom.url, username, password: PASSWORD });
/** Online with nothing left to send: an exchange with the server has completed. */
const expectSynced = (page: Page) => expectSyncedWithin(page, SYNC_TIMEOUT);

test('written offline with rubrik and redaktur, synced by itself when the server returns; the redaktur sees it, another penulis does not', async ({ browser }) => {
  // penulis1 logs in while the server is up: the directory is cached in the profile.
  const writer = await newsroom.openProfile(browser);
  await logIn(writer.page, PENULIS.username);
  await expectSynced(writer.page);
  await expect.poll(() => cachedDirectory(writer.profileDir)?.rubrik.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);

  // The server goes away. A reload proves the pickers read core's cache, not the page's memory.
  expect(await newsroom.stopServer()).toBe(0);
  await writer.page.reload();
  await expect(writer.page.getByTestId('story-list')).toBeVisible();
  await expect(writer.page.getByTestId('login-screen')).toBeHidden();

  const storyId = await createStory(writer.page);
  await writer.page.getByTestId('field-headline').fill(HEADLINE);
  await writer.page.getByTestId('select-rubrik').selectOption({ label: RUBRIK_PATH });
  await writer.page.getByTestId('select-redaktur').selectOption({ label: REDAKTUR.displayName });
  await writer.page.getByTestId('editor-body').click();
  await writer.page.keyboard.type(BODY);
  await waitSaved(writer.page);
  await expect(writer.page.getByTestId('byline')).toHaveText(`Penulis: ${PENULIS.displayName}`);

  const writerStatus = writer.page.getByTestId('sync-status');
  await expect(writerStatus).toHaveAttribute('data-state', 'offline', { timeout: SYNC_TIMEOUT });
  await expect.poll(async () => Number(await writerStatus.getAttribute('data-pending')), { timeout: SYNC_TIMEOUT }).toBeGreaterThanOrEqual(1);

  await writer.page.getByTestId('editor-back').click();
  const writerRow = writer.page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
  await expect(writerRow).not.toHaveAttribute('data-sync-state', 'synced');
  await expect(writerRow.getByTestId('story-rubrik')).toHaveText(RUBRIK_PATH);

  // The server returns at the same address and data: the story goes up without sync-now.
  await newsroom.startServer();
  await expectSynced(writer.page);
  await expect(writerRow).toHaveAttribute('data-sync-state', 'synced', { timeout: SYNC_TIMEOUT });

  // The assigned redaktur, on a profile of their own, gets it with rubrik, penulis and body.
  const editor = await newsroom.openProfile(browser);
  await logIn(editor.page, REDAKTUR.username);
  await expectSynced(editor.page);
  const editorRow = editor.page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
  await expect(editorRow).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expect(editorRow).toContainText(HEADLINE);
  await expect(editorRow.getByTestId('story-rubrik')).toHaveText(RUBRIK_PATH);
  await expect(editorRow.getByTestId('story-redaktur')).toContainText(REDAKTUR.displayName);
  await openStory(editor.page, storyId);
  await expect(editor.page.getByTestId('editor-body')).toContainText(BODY);
  await expect(editor.page.getByTestId('field-headline')).toHaveValue(HEADLINE);
  await expect(editor.page.getByTestId('byline')).toHaveText(`Penulis: ${PENULIS.displayName}`);
  await expect(editor.page.getByTestId('select-rubrik').locator('option:checked')).toHaveText(RUBRIK_PATH);
  await expect(editor.page.getByTestId('select-redaktur').locator('option:checked')).toHaveText(REDAKTUR.displayName);

  // Another penulis does not get it. So that "absent" is not just "not pulled yet", penulis2
  // first writes a story of their own straight to the server (after penulis1's, so later in
  // the changes feed): once it is in penulis2's list, the pull went past penulis1's story.
  const control = new SyncClient({ baseUrl: newsroom.url });
  await control.login(OTHER_PENULIS, PASSWORD);
  const controlStory = control.addStory(randomUUID());
  writeMetaText(controlStory.doc, 'headline', CONTROL_HEADLINE);
  expect((await control.syncAll()).refused).toEqual([]);
  control.close();

  const stranger = await newsroom.openProfile(browser);
  await logIn(stranger.page, OTHER_PENULIS);
  await expectSynced(stranger.page);
  await expect(stranger.page.locator(`[data-testid="story-item"][data-story-id="${controlStory.id}"]`)).toContainText(CONTROL_HEADLINE, { timeout: SYNC_TIMEOUT });
  await expect(stranger.page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`)).toHaveCount(0);
  await expect(stranger.page.getByTestId('story-item').filter({ hasText: HEADLINE })).toHaveCount(0);
  await expect(stranger.page.getByTestId('story-item')).toHaveCount(1);
});
