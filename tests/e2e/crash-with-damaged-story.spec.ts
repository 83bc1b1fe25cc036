import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { bodyWords, createStory, openApp, openStory, waitSaved } from '../support/app';
import { articleWords } from '../support/text';
import { startWebMode, tempProfile, type WebModeHost } from '../support/webMode';

function storyBytes(profileDir: string, storyId: string): string {
  const db = new Database(join(profileDir, 'core.db'), { readonly: true });
  try {
    const rowId = db.prepare('SELECT row_id FROM stories WHERE id = ?').pluck().get(storyId);
    const snap = db.prepare('SELECT up_to_seq, hex(state) AS state FROM doc_snapshots WHERE story_row_id = ?').get(rowId);
    const log = db.prepare('SELECT seq, hex(data) AS data FROM doc_updates WHERE story_row_id = ? ORDER BY seq').all(rowId);
    return JSON.stringify({ snap, log });
  } finally {
    db.close();
  }
}

/**
 * kill -9 of web mode while a reporter types, and beside the story being typed another one
 * left stale by the crash whose stored document no longer loads: web mode starts again, that
 * story is shown as damaged (and its bytes are left as they are), every other story opens
 * with its words.
 */
test('web mode starts after kill -9 with a damaged stale story; the others open with their words', async ({ page }) => {
  const profile = tempProfile();
  let host: WebModeHost | undefined;
  try {
    host = await startWebMode(profile.dir);
    await openApp(page, host.url);
    const healthyId = await createStory(page);
    await page.getByTestId('field-headline').fill('Naskah sehat');
    await page.getByTestId('editor-body').click();
    await page.keyboard.type('Harga cabai naik tajam di pasar induk.');
    await waitSaved(page);
    await page.getByTestId('editor-back').click();
    const damagedId = await createStory(page);
    await page.getByTestId('field-headline').fill('Naskah rusak');
    await page.getByTestId('editor-body').click();
    await page.keyboard.type('Kalimat ini akan rusak.');
    await waitSaved(page);
    await page.getByTestId('editor-back').click();

    const typingId = await createStory(page);
    await page.getByTestId('field-headline').fill('Sedang diketik');
    await page.getByTestId('editor-body').click();
    const words = articleWords();
    let typed = '';
    const typedAt: Array<{ at: number; length: number }> = [];
    const start = Date.now();
    for (let i = 0; Date.now() - start < 4_000; i++) {
      const chunk = (i > 0 ? ' ' : '') + words[i % words.length]!;
      await page.keyboard.type(chunk);
      typed += chunk;
      typedAt.push({ at: Date.now(), length: typed.length });
    }
    host.process.kill('SIGKILL');
    const killedAt = Date.now();
    await host.stop();

    // The other story as a crash can leave it: stale (every push marks it so) and its
    // snapshot unreadable (a damaged disk, a bug).
    const db = new Database(join(profile.dir, 'core.db'));
    const changed = db
      .prepare('UPDATE doc_snapshots SET state = ? WHERE story_row_id = (SELECT row_id FROM stories WHERE id = ?)')
      .run(Buffer.from([1, 200, 7, 7, 7, 7]), damagedId).changes;
    db.prepare('UPDATE stories SET index_stale = 1 WHERE id = ?').run(damagedId);
    db.close();
    expect(changed).toBe(1);
    const damagedBytes = storyBytes(profile.dir, damagedId);

    host = await startWebMode(profile.dir);
    await openApp(page, host.url);
    const row = (id: string) => page.locator(`[data-testid="story-item"][data-story-id="${id}"]`);
    await expect(row(damagedId)).toHaveAttribute('data-damaged', 'true');
    await expect(row(damagedId).getByTestId('story-damaged')).toHaveText('Rusak');
    await expect(row(healthyId).getByTestId('story-damaged')).toHaveCount(0);
    await expect(row(typingId).getByTestId('story-damaged')).toHaveCount(0);

    await row(damagedId).click();
    await expect(page.getByRole('alert')).toHaveText(
      'Naskah tidak dapat dibuka: datanya rusak. Data yang tersimpan tidak diubah dan disimpan untuk pemulihan.',
    );
    await expect(page.getByTestId('editor-body')).toHaveCount(0);
    await page.getByTestId('editor-back').click();

    await openStory(page, healthyId);
    await expect(page.getByTestId('field-headline')).toHaveValue('Naskah sehat');
    await expect.poll(() => bodyWords(page)).toBe('Harga cabai naik tajam di pasar induk.');
    await page.getByTestId('editor-back').click();

    await openStory(page, typingId);
    await expect(page.getByTestId('field-headline')).toHaveValue('Sedang diketik');
    const persisted = await bodyWords(page);
    const mustHave = typedAt.filter((t) => t.at <= killedAt - 1_000).at(-1)?.length ?? 0;
    expect(mustHave).toBeGreaterThan(20);
    expect(typed.startsWith(persisted)).toBe(true);
    expect(persisted.length).toBeGreaterThanOrEqual(typed.slice(0, mustHave).trim().length);
    await page.getByTestId('editor-back').click();

    expect(await host.stop('SIGTERM')).toBe(0);
    expect(storyBytes(profile.dir, damagedId)).toBe(damagedBytes);
  } finally {
    await host?.stop('SIGKILL');
    profile.remove();
  }
});
