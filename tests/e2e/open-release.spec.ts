import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { bodyWords, createStory, openApp, openStory, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * Core holds a story's document in memory only while some tab has it open. When the last
 * one goes (closed, reloaded) without saying goodbye, core folds the story's update-log
 * tail into its snapshot and lets it go. Observable from outside: the tail in SQLite
 * (read here through a second connection while web mode runs) drops to nothing.
 */
function tailRows(profileDir: string, storyId: string): number {
  const db = new Database(join(profileDir, 'core.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT count(*) FROM doc_updates WHERE story_row_id = (SELECT row_id FROM stories WHERE id = ?)')
      .pluck()
      .get(storyId) as number;
  } finally {
    db.close();
  }
}

test('a story whose tab closes or reloads is no longer held: its log tail is folded into the snapshot', async ({ browser }) => {
  const profile = tempProfile();
  let host: WebModeHost | undefined;
  const context = await browser.newContext();
  try {
    host = await startWebMode(profile.dir);
    const first = await context.newPage();
    await openApp(first, host.url);
    const storyId = await createStory(first);
    await first.getByTestId('field-headline').fill('Tab ditutup');
    await first.getByTestId('editor-body').click();
    await first.keyboard.type('Satu dua tiga.');
    await waitSaved(first);
    expect(tailRows(profile.dir, storyId)).toBeGreaterThan(0);

    // The tab closes with the story still open in it: no docs.close is ever sent.
    await first.close();
    await expect.poll(() => tailRows(profile.dir, storyId), { timeout: 20_000 }).toBe(0);

    const second = await context.newPage();
    await openApp(second, host.url);
    await openStory(second, storyId);
    await expect.poll(() => bodyWords(second)).toBe('Satu dua tiga.');
    await second.getByTestId('editor-body').click();
    await second.keyboard.press('Control+End');
    await second.keyboard.type(' Empat.');
    await waitSaved(second);
    expect(tailRows(profile.dir, storyId)).toBeGreaterThan(0);

    // A reload drops the page's connection; the reloaded page opens the story again on a
    // new one. Leaving it must let core go of it: the old connection holds nothing.
    await second.reload();
    await openStory(second, storyId);
    await expect.poll(() => bodyWords(second)).toBe('Satu dua tiga. Empat.');
    await second.getByTestId('editor-back').click();
    await expect.poll(() => tailRows(profile.dir, storyId), { timeout: 20_000 }).toBe(0);
  } finally {
    await context.close();
    await host?.stop('SIGTERM');
    profile.remove();
  }
});
