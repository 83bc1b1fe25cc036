import { expect, test, type Page } from '@playwright/test';
import { createStory, openStory, waitSaved } from '../support/app';
import { cachedDirectory, expectSynced as expectSyncedWithin, logInThroughScreen, NewsroomFixture } from '../support/newsroom';

/**
 * The review workflow end to end, every part real: the newsroom server as a process (PGlite,
 * demo accounts), two web-mode profiles (penulis1 and redaktur1), Chromium.
 *
 * penulis1 writes a story and submits it while the server is away (the command waits in
 * core's outbox, the story says so); when the server returns, redaktur1 finds it in the
 * queue ("menunggu saya"), claims it, changes a word, comments on a passage and sends it
 * back with a note. penulis1 sees the note, the comment and the redaktur's change in the
 * history's diff, revises and submits again (offline again: the two filings differ by exactly
 * the redaktur's word and the revision); the redaktur claims and approves; both see
 * `approved`, and penulis1's editor is read-only, saying why.
 *
 * The diff: the server keeps versions at submit ("filed"), approve and publish only, so the
 * redaktur's edit is in no version of its own while the story is sent back. What the
 * product offers the reporter is "as filed" compared with now (one version picked), which
 * shows exactly the redaktur's change, since the reporter typed nothing after filing.
 */

// Demo data (server/demo/demoData.ts): redaktur1 edits Nasional and everything below it.
const PASSWORD = 'redaksi123';
const RUBRIK_PATH = 'Nasional › Politik';
const REDAKTUR = { username: 'redaktur1', displayName: 'Ratna Kusumawardani' };
const PENULIS = { username: 'penulis1', displayName: 'Agus Prasetyo' };

const HEADLINE = 'DPR sahkan revisi undang-undang pemilu';
const DATELINE = 'Jakarta';
const BODY = 'Rapat paripurna berlangsung hingga larut malam. Sebanyak 400 anggota hadir dalam rapat itu.';
/** The redaktur's edit: one word of the second sentence. */
const WORD_BEFORE = '400';
const WORD_AFTER = '412';
/** The passage the redaktur comments on, and what they say. */
const PASSAGE = 'larut malam';
const COMMENT = 'Jam berapa tepatnya rapat selesai?';
const NOTE = 'Tolong lengkapi jam selesai rapat dan sumbernya.';
const REVISION = ' Rapat ditutup pukul 23.40 WIB.';

/** Generous: two cores shared by several test runs; the engine retries with backoff (up to a minute). */
const SYNC_TIMEOUT = 90_000;

test.describe.configure({ mode: 'serial' });
test.setTimeout(480_000);

const newsroom = new NewsroomFixture();
test.beforeAll(() => newsroom.start());
test.afterAll(() => newsroom.close());

const logIn = (page: Page, username: string) => logInThroughScreen(page, { serverUrl: newsroom.url, username, password: PASSWORD });

/** Online with nothing left to send: an exchange with the server has completed. */
const expectSynced = (page: Page) => expectSyncedWithin(page, SYNC_TIMEOUT);

const storyRow = (page: Page, storyId: string) => page.locator(`[data-testid="story-item"][data-story-id="${storyId}"]`);
const statusBadge = (page: Page) => page.getByTestId('editor-pane').getByTestId('story-status');

/**
 * Selects `text` inside the body the way a mouse drag would (a DOM selection in the
 * contenteditable, which Lexical adopts on selectionchange), and waits until Lexical has it.
 */
async function selectInBody(page: Page, text: string): Promise<void> {
  const body = page.getByTestId('editor-body');
  await body.click();
  await body.evaluate((root, wanted) => {
    const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at >= 0) {
        root.ownerDocument.getSelection()!.setBaseAndExtent(node, at, node, at + wanted.length);
        return;
      }
    }
    throw new Error(`"${wanted}" is not in the body`);
  }, text);
  await expect.poll(() => page.evaluate(() => document.getSelection()?.toString() ?? '')).toBe(text);
}

/** The body as text, whitespace collapsed. */
async function bodyText(page: Page): Promise<string> {
  return (await page.getByTestId('editor-body').innerText()).replace(/\s+/g, ' ').trim();
}

test('penulis submits offline; redaktur claims, edits, comments and sends back; penulis sees all, revises, resubmits; approved and locked', async ({ browser }) => {
  // ── penulis1 logs in while the server is up (the directory for the pickers is cached), then the server goes away.
  const writerProfile = await newsroom.openProfile(browser);
  const writer = writerProfile.page;
  await logIn(writer, PENULIS.username);
  await expectSynced(writer);
  await expect.poll(() => cachedDirectory(writerProfile.profileDir)?.rubrik.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await newsroom.stopServer()).toBe(0);

  const storyId = await createStory(writer);
  await writer.getByTestId('field-headline').fill(HEADLINE);
  await writer.getByTestId('field-dateline').fill(DATELINE);
  await writer.getByTestId('select-rubrik').selectOption({ label: RUBRIK_PATH });
  await writer.getByTestId('select-redaktur').selectOption({ label: REDAKTUR.displayName });
  await writer.getByTestId('editor-body').click();
  await writer.keyboard.type(BODY);
  await waitSaved(writer);
  await expect(writer.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: SYNC_TIMEOUT });

  // Submit offline: the checklist first, then submit; the command waits, and the story says so.
  await writer.getByTestId('action-submit').click();
  const checklist = writer.getByTestId('submit-checklist');
  await expect(checklist).toBeVisible();
  await expect(checklist.locator('[data-testid="checklist-item"][data-severity="blocking"][data-ok="false"]')).toHaveCount(0);
  await writer.getByTestId('checklist-submit').click();
  await expect(checklist).toBeHidden();
  const pending = writer.getByTestId('workflow-pending');
  await expect(pending).toBeVisible();
  await expect(pending).toHaveAttribute('data-count', '1');
  await expect(statusBadge(writer)).toHaveAttribute('data-status', 'submitted');
  await expect(writer.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');

  // The command waits in core's durable outbox: a restart of core (still offline) keeps it.
  await newsroom.restartCore(writerProfile.host, writerProfile.profileDir);
  await writer.reload();
  await openStory(writer, storyId);
  await expect(pending).toHaveAttribute('data-count', '1');
  await expect(statusBadge(writer)).toHaveAttribute('data-status', 'submitted');
  await expect(writer.getByTestId('editor-body')).toContainText(BODY);

  // ── The server returns at the same address: the story and the command go up by themselves.
  await newsroom.startServer();
  await expectSynced(writer);
  await expect(pending).toBeHidden({ timeout: SYNC_TIMEOUT });
  await expect(statusBadge(writer)).toHaveAttribute('data-status', 'submitted');
  await expect(writer.getByTestId('workflow-refusal')).toHaveCount(0);

  // ── redaktur1 finds it in "menunggu saya", opens and claims it.
  const editor = (await newsroom.openProfile(browser)).page;
  await logIn(editor, REDAKTUR.username);
  await expectSynced(editor);
  await editor.getByTestId('story-filter-status').selectOption('waiting');
  await expect(storyRow(editor, storyId)).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expect(storyRow(editor, storyId)).toHaveAttribute('data-status', 'submitted');
  await expect(storyRow(editor, storyId)).toContainText(HEADLINE);
  await openStory(editor, storyId);
  await expect(editor.getByTestId('editor-body')).toContainText(BODY);
  await expect(editor.getByTestId('field-dateline')).toHaveValue(DATELINE);
  await editor.getByTestId('action-claim').click();
  await expect(statusBadge(editor)).toHaveAttribute('data-status', 'in_review', { timeout: SYNC_TIMEOUT });

  // Edits a sentence: one word of it replaced.
  await expect(editor.getByTestId('editor-body')).toHaveAttribute('contenteditable', 'true');
  await selectInBody(editor, WORD_BEFORE);
  await editor.keyboard.type(WORD_AFTER);
  await expect(editor.getByTestId('editor-body')).toContainText(`Sebanyak ${WORD_AFTER} anggota hadir`);
  await waitSaved(editor);

  // Comments on a passage.
  await selectInBody(editor, PASSAGE);
  await editor.getByTestId('comment-add').click();
  await editor.getByTestId('comment-input').fill(COMMENT);
  await editor.getByTestId('comment-submit').click();
  const editorThread = editor.getByTestId('comment-thread');
  await expect(editorThread).toHaveCount(1);
  await expect(editorThread).toContainText(COMMENT);
  await expect(editorThread).toContainText(PASSAGE);

  // Sends it back with a note.
  await editor.getByTestId('action-request-revision').click();
  await editor.getByTestId('revision-note').fill(NOTE);
  await editor.getByTestId('revision-submit').click();
  await expect(statusBadge(editor)).toHaveAttribute('data-status', 'revision_requested', { timeout: SYNC_TIMEOUT });
  await expectSynced(editor);
  await expect(editor.getByTestId('workflow-pending')).toHaveCount(0, { timeout: SYNC_TIMEOUT });
  await expect(editor.getByTestId('workflow-refusal')).toHaveCount(0);

  // ── penulis1 sees the note, the comment and the redaktur's change.
  await expect(statusBadge(writer)).toHaveAttribute('data-status', 'revision_requested', { timeout: SYNC_TIMEOUT });
  await expect(writer.getByTestId('revision-note-shown')).toContainText(NOTE, { timeout: SYNC_TIMEOUT });
  await expect(writer.getByTestId('editor-body')).toContainText(`Sebanyak ${WORD_AFTER} anggota hadir`, { timeout: SYNC_TIMEOUT });
  const writerThread = writer.getByTestId('comment-thread');
  await expect(writerThread).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await expect(writerThread).toContainText(COMMENT);
  await expect(writerThread).toContainText(PASSAGE);
  await expect(writerThread).toHaveAttribute('data-detached', 'false');
  await expect(writerThread).toContainText(REDAKTUR.displayName);

  await writer.getByTestId('history-open').click();
  const filed = writer.locator('[data-testid="version-item"][data-kind="filed"]');
  await expect(filed).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await filed.click();
  const diff = writer.getByTestId('diff-view');
  await expect(diff).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expect(diff.getByTestId('diff-removed')).toHaveText([WORD_BEFORE]);
  await expect(diff.getByTestId('diff-added')).toHaveText([WORD_AFTER]);
  await writer.getByTestId('history-close').click();

  // Revises (the editor is the penulis's again) and submits again, offline once more: the
  // revision and the command wait together, and the words must reach the server before the
  // command, so that the second filing holds them.
  expect(await newsroom.stopServer()).toBe(0);
  await expect(writer.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: SYNC_TIMEOUT });
  await expect(writer.getByTestId('editor-readonly-reason')).toHaveCount(0);
  await expect(writer.getByTestId('editor-body')).toHaveAttribute('contenteditable', 'true');
  await writer.getByTestId('editor-body').click();
  await writer.keyboard.press('Control+End');
  await writer.keyboard.type(REVISION);
  await expect(writer.getByTestId('editor-body')).toContainText(REVISION.trim());
  await waitSaved(writer);
  await writer.getByTestId('action-submit').click();
  await expect(checklist).toBeVisible();
  await writer.getByTestId('checklist-submit').click();
  await expect(statusBadge(writer)).toHaveAttribute('data-status', 'submitted');
  await expect(pending).toHaveAttribute('data-count', '1');
  await newsroom.startServer();
  await expectSynced(writer);
  await expect(pending).toBeHidden({ timeout: SYNC_TIMEOUT });
  await expect(writer.getByTestId('revision-note-shown')).toHaveCount(0);

  // ── redaktur1 claims it again and approves.
  await expect(statusBadge(editor)).toHaveAttribute('data-status', 'submitted', { timeout: SYNC_TIMEOUT });
  await expect(editor.getByTestId('editor-body')).toContainText(REVISION.trim(), { timeout: SYNC_TIMEOUT });
  await editor.getByTestId('action-claim').click();
  await expect(statusBadge(editor)).toHaveAttribute('data-status', 'in_review', { timeout: SYNC_TIMEOUT });
  await editor.getByTestId('action-approve').click();
  await expect(statusBadge(editor)).toHaveAttribute('data-status', 'approved', { timeout: SYNC_TIMEOUT });
  await expectSynced(editor);
  await expect(editor.getByTestId('workflow-refusal')).toHaveCount(0);

  // ── Both see approved; the penulis can no longer edit.
  await expect(statusBadge(writer)).toHaveAttribute('data-status', 'approved', { timeout: SYNC_TIMEOUT });
  const reason = writer.getByTestId('editor-readonly-reason');
  await expect(reason).toBeVisible({ timeout: SYNC_TIMEOUT });
  const before = await bodyText(writer);
  await writer.getByTestId('editor-body').click();
  await writer.keyboard.type(' Kata tambahan.');
  await writer.keyboard.press('Backspace');
  await expect.poll(() => bodyText(writer)).toBe(before);
  await expect(writer.getByTestId('editor-body')).not.toContainText('Kata tambahan');

  // The history now holds both filings and the approved text ("as edited").
  await writer.getByTestId('history-open').click();
  await expect(writer.locator('[data-testid="version-item"][data-kind="filed"]')).toHaveCount(2, { timeout: SYNC_TIMEOUT });
  await expect(writer.locator('[data-testid="version-item"][data-kind="edited"]')).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  // The two filings compared: the redaktur's word and the penulis's revision, nothing else
  // (so the revision typed offline reached the server before the command that filed it).
  const filings = writer.locator('[data-testid="version-item"][data-kind="filed"]');
  await filings.nth(0).click();
  await filings.nth(1).click();
  await expect(diff.getByTestId('diff-removed')).toHaveText([WORD_BEFORE], { timeout: SYNC_TIMEOUT });
  await expect(diff.getByTestId('diff-added')).toHaveText([WORD_AFTER, REVISION.trim()]);
  await expect(diff.getByTestId('diff-stats')).toHaveAttribute('data-added', String(1 + REVISION.trim().split(' ').length));
  await writer.getByTestId('history-close').click();

  await writer.getByTestId('editor-back').click();
  await expect(storyRow(writer, storyId)).toHaveAttribute('data-status', 'approved');
  // Decided: out of the redaktur's queue, approved in both lists.
  await editor.getByTestId('editor-back').click();
  await expect(storyRow(editor, storyId)).toHaveCount(0, { timeout: SYNC_TIMEOUT });
  await editor.getByTestId('story-filter-status').selectOption('all');
  await expect(storyRow(editor, storyId)).toHaveAttribute('data-status', 'approved');
});
