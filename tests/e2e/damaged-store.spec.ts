import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { createStory, openApp, waitSaved } from '../support/app';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

/**
 * A story whose stored document no longer loads (a damaged disk, a bug): opening it says so
 * in plain words, the app keeps working, and the other stories are untouched.
 */
test('a story whose stored document is damaged is reported, not crashed on', async ({ page }) => {
  const profile = tempProfile();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir);
    await openApp(page, host.url);
    const damagedId = await createStory(page);
    await page.getByTestId('field-headline').fill('Naskah rusak');
    await waitSaved(page);
    await page.getByTestId('editor-back').click();
    const healthyId = await createStory(page);
    await page.getByTestId('field-headline').fill('Naskah sehat');
    await waitSaved(page);
    await page.getByTestId('editor-back').click();
    expect(await host.stop('SIGTERM')).toBe(0); // a clean stop folds both into snapshots

    const db = new Database(join(profile.dir, 'core.db'));
    const changed = db
      .prepare('UPDATE doc_snapshots SET state = ? WHERE story_row_id = (SELECT row_id FROM stories WHERE id = ?)')
      .run(Buffer.from([1, 200, 7, 7, 7, 7]), damagedId).changes;
    db.close();
    expect(changed).toBe(1);

    host = await startWebMode(profile.dir);
    await openApp(page, host.url);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.locator(`[data-testid="story-item"][data-story-id="${damagedId}"]`).click();
    await expect(page.getByRole('alert')).toHaveText('Naskah tidak dapat dibuka.');
    await expect(page.getByTestId('editor-body')).toHaveCount(0);

    await page.locator(`[data-testid="story-item"][data-story-id="${healthyId}"]`).click();
    await expect(page.getByTestId('field-headline')).toHaveValue('Naskah sehat');
    await expect(page.getByTestId('editor-body')).toHaveAttribute('contenteditable', 'true');
    expect(errors).toEqual([]);
  } finally {
    await host?.stop('SIGTERM');
    profile.remove();
  }
});
