// @vitest-environment happy-dom
import type { LexicalEditor } from 'lexical';
import { $createRangeSelection, $getRoot, $setSelection } from 'lexical';
import { createElement, Fragment } from 'react';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bodyPlainText } from '../../../shared/doc/storyDoc';
import { editStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import { RpcError } from '../../../shared/rpc/protocol';
import { setCore } from '../core/coreContext';
import { BodyEditor } from '../editor/BodyEditor';
import { createStorySession, type StorySession } from '../editor/storySession';
import { initI18n } from '../i18n/i18n';
import { useNewsroom } from '../state/newsroomStore';
import { openReview, useReview } from '../state/reviewStore';
import { settle, standInCore } from '../testing/standInCore';
import { $collectAnchors } from './anchors';
import { CommentsPanel } from './CommentsPanel';

/**
 * The comment flows in a page (happy-dom): the real body editor bound to a story session, the
 * CommentsPlugin and the panel, against the stand-in core over the real RPC layer.
 */

const STORY = '00000000-0000-4000-8000-0000000000c1';
const ME = '00000000-0000-4000-8000-00000000a001';
const REDAKTUR = '00000000-0000-4000-8000-00000000a002';
const SENTENCE = 'Kementerian Perindustrian mendorong produksi mobil listrik tahun depan.';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  initI18n('en');
});

let root: Root;
let host: HTMLElement;
let session: StorySession;
let stand: ReturnType<typeof standInCore>;
let stopWatching: () => void;

beforeEach(async () => {
  stand = standInCore();
  stand.state.account = { state: 'logged_in', serverUrl: 'http://127.0.0.1:9', user: { id: ME, username: 'penulis1', displayName: 'Agus Prasetyo', role: 'penulis' }, owner: null };
  useNewsroom.setState({
    directory: {
      ...useNewsroom.getState().directory,
      users: [
        { id: ME, username: 'penulis1', displayName: 'Agus Prasetyo', role: 'penulis', active: true, rubrikIds: [] },
        { id: REDAKTUR, username: 'redaktur1', displayName: 'Ratna Kusumawardani', role: 'redaktur', active: true, rubrikIds: [] },
      ],
    } as never,
  });
  setCore(stand.connection);
  writeStoryBody(stand.docOf(STORY), [{ type: 'paragraph', children: [SENTENCE] }]);
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  session = createStorySession(stand.connection, STORY);
  await act(async () => {
    stopWatching = openReview(STORY);
    root.render(createElement(Fragment, null, createElement(BodyEditor, { session, header: null }), createElement(CommentsPanel, { storyId: STORY })));
  });
  await session.opened;
  await waitFor(() => editorText() === SENTENCE);
});

afterEach(async () => {
  await act(async () => root.unmount());
  stopWatching();
  await session.close();
  host.remove();
});

async function waitFor(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await act(async () => settle(10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function editor(): LexicalEditor {
  const el = host.querySelector('[data-testid="editor-body"]') as HTMLElement & { __lexicalEditor?: LexicalEditor };
  if (!el?.__lexicalEditor) throw new Error('no editor');
  return el.__lexicalEditor;
}

function editorText(): string {
  try {
    return editor().getEditorState().read(() => $getRoot().getTextContent());
  } catch {
    return '';
  }
}

const byTestId = (id: string) => host.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
const threads = () => [...host.querySelectorAll('[data-testid="comment-thread"]')] as HTMLElement[];

async function select(words: string): Promise<void> {
  await act(async () => {
    editor().update(
      () => {
        const node = $getRoot().getAllTextNodes().find((n) => n.getTextContent().includes(words))!;
        const at = node.getTextContent().indexOf(words);
        const selection = $createRangeSelection();
        selection.anchor.set(node.getKey(), at, 'text');
        selection.focus.set(node.getKey(), at + words.length, 'text');
        $setSelection(selection);
      },
      { discrete: true },
    );
  });
}

async function typeInto(el: HTMLElement, text: string): Promise<void> {
  await act(async () => {
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
    setter.call(el, text);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function key(el: HTMLElement, init: KeyboardEventInit): Promise<KeyboardEvent> {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  await act(async () => {
    el.dispatchEvent(event);
  });
  return event;
}

async function click(el: HTMLElement): Promise<void> {
  await act(async () => {
    el.click();
  });
}

/** The story's body in core, once the page pushed what it has. */
async function anchorsInCore(): Promise<Map<string, string>> {
  await session.queue.flush();
  let anchors = new Map<string, string>();
  editStoryBody(stand.docOf(STORY), () => {
    anchors = $collectAnchors();
  });
  return anchors;
}

describe('comments in the editor, against the stand-in core', () => {
  it('select text → comment-add → type → Enter: the thread is posted, pending, and its words are marked in the document', async () => {
    const add = byTestId('comment-add') as HTMLButtonElement;
    expect(add.disabled).toBe(true); // nothing selected yet
    await select('mobil listrik');
    expect(add.disabled).toBe(false);
    await click(add);
    const input = byTestId('comment-input')!;
    expect(input).not.toBeNull();
    await typeInto(input, 'Sebutkan sumber datanya.');
    await key(input, { key: 'Enter' });
    await waitFor(() => threads().length === 1, 'the thread');

    expect(byTestId('comment-input')).toBeNull();
    const thread = threads()[0]!;
    expect(stand.workflow.calls.comment).toBe(1);
    const [posted] = stand.workflow.reviewOf(STORY).comments;
    expect(posted).toMatchObject({ threadId: thread.dataset.threadId, body: 'Sebutkan sumber datanya.', quote: 'mobil listrik', authorId: ME });
    expect(thread.dataset.pending).toBe('true');
    expect(thread.textContent).toContain('Not sent yet');
    expect(thread.textContent).toContain('Agus Prasetyo');
    expect(thread.dataset.detached).toBe('false');
    expect(await anchorsInCore()).toEqual(new Map([[thread.dataset.threadId!, 'mobil listrik']]));
    expect(bodyPlainText(stand.docOf(STORY))).toBe(SENTENCE);

    // Once core has sent it, it is no longer marked pending.
    await act(async () => stand.workflow.markSent(STORY));
    await waitFor(() => threads()[0]?.dataset.pending === 'false', 'sent');
  });

  it('Ctrl+Alt+M comments on the selection from the keyboard, and Esc cancels without leaving a mark or closing the story', async () => {
    await select('tahun depan');
    const body = byTestId('editor-body')!;
    const shortcut = await key(body, { key: 'µ', code: 'KeyM', ctrlKey: true, altKey: true });
    expect(shortcut.defaultPrevented).toBe(true);
    const input = byTestId('comment-input')!;
    expect(input).not.toBeNull();
    await typeInto(input, 'batal');
    const esc = await key(input, { key: 'Escape' });
    expect(esc.defaultPrevented).toBe(true); // the app's "Esc closes the story" leaves a handled key alone
    expect(byTestId('comment-input')).toBeNull();
    expect(stand.workflow.calls.comment).toBe(0);
    expect((await anchorsInCore()).size).toBe(0);
  });

  it('a comment core does not take keeps the draft with the reason and takes the mark off again', async () => {
    stand.workflow.faults.comment = new RpcError('timeout', 'core did not answer');
    await select('Perindustrian');
    await click(byTestId('comment-add')!);
    await typeInto(byTestId('comment-input')!, 'Tolong cek.');
    await click(byTestId('comment-submit')!);
    await waitFor(() => host.querySelector('.comment-error') !== null, 'the error');
    expect(host.querySelector('.comment-error')!.textContent).toContain('timeout');
    expect((byTestId('comment-input') as HTMLTextAreaElement).value).toBe('Tolong cek.');
    expect(threads()).toHaveLength(0);
    expect((await anchorsInCore()).size).toBe(0);
  });

  it('replies, resolves and reopens a thread; clicking a thread highlights its words', async () => {
    await select('mobil listrik');
    await click(byTestId('comment-add')!);
    await typeInto(byTestId('comment-input')!, 'Sumber?');
    await key(byTestId('comment-input')!, { key: 'Enter' });
    await waitFor(() => threads().length === 1);
    const threadId = threads()[0]!.dataset.threadId!;

    await click(threads()[0]!.querySelector('[data-testid="comment-reply"]') as HTMLElement);
    await typeInto(byTestId('comment-reply-input')!, 'Data Kemenperin 2026.');
    await click(byTestId('comment-reply-submit')!);
    await waitFor(() => threads()[0]!.querySelectorAll('.comment-item').length === 2, 'the reply');
    expect(stand.workflow.reviewOf(STORY).comments.map((c) => c.threadId)).toEqual([threadId, threadId]);

    await click(threads()[0]!.querySelector('[data-testid="comment-resolve"]') as HTMLElement);
    await waitFor(() => threads()[0]!.dataset.resolved === 'true', 'resolved');
    expect(host.querySelector('mark.ed-mark')!.classList.contains('is-resolved-comment')).toBe(true);
    await click(threads()[0]!.querySelector('[data-testid="comment-reopen"]') as HTMLElement);
    await waitFor(() => threads()[0]!.dataset.resolved === 'false', 'reopened');

    const mark = host.querySelector('mark.ed-mark')!;
    expect(mark.textContent).toBe('mobil listrik');
    expect(mark.classList.contains('is-active-comment')).toBe(false);
    await click(threads()[0]!);
    expect(mark.classList.contains('is-active-comment')).toBe(true);
    expect(threads()[0]!.classList.contains('is-active')).toBe(true);
  });

  it('while the story is with the redaktur (read-only for its penulis) a comment keeps its quote and leaves the text untouched', async () => {
    // The penulis submitted it meanwhile: core says the text is the redaktur's now.
    stand.commands.review(STORY, { relation: { role: 'penulis', isAuthor: true, isAssignedRedaktur: false }, serverStatus: 'submitted' });
    await act(async () => stand.emit('reviewChanged', { storyId: STORY }));
    await waitFor(() => !editor().isEditable(), 'the lock');
    await select('tahun depan');
    await click(byTestId('comment-add')!);
    expect(byTestId('comment-unmarked-note')).not.toBeNull();
    await typeInto(byTestId('comment-input')!, 'Tahun berapa?');
    await key(byTestId('comment-input')!, { key: 'Enter' });
    await waitFor(() => threads().length === 1);
    expect(threads()[0]!.dataset.detached).toBe('true');
    expect(threads()[0]!.querySelector('.comment-quote')!.textContent).toBe('tahun depan');
    expect(stand.workflow.reviewOf(STORY).comments[0]).toMatchObject({ quote: 'tahun depan', body: 'Tahun berapa?' });
    expect((await anchorsInCore()).size).toBe(0);
    expect(stand.state.pushes).toHaveLength(0);
    // Core's answer to the comment carries the workflow too: the text stays locked.
    await act(async () => settle(20));
    expect(useReview.getState().review).toMatchObject({ status: 'submitted', readOnlyReason: 'with_redaktur' });
    expect(editor().isEditable()).toBe(false);
  });

  it("a thread whose words another client deleted stays listed, detached, with the quote and the redaktur's name", async () => {
    await select('mobil listrik');
    await click(byTestId('comment-add')!);
    await typeInto(byTestId('comment-input')!, 'Sumber?');
    await key(byTestId('comment-input')!, { key: 'Enter' });
    await waitFor(() => threads().length === 1);
    const threadId = threads()[0]!.dataset.threadId!;
    await session.queue.flush();
    await act(async () =>
      stand.workflow.addComment({ id: crypto.randomUUID(), storyId: STORY, threadId, authorId: REDAKTUR, body: 'Setuju.', quote: 'mobil listrik', createdAt: Date.now() + 1 }),
    );

    // Another client (offline until now) deleted the commented words; its edit arrives from core.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(stand.docOf(STORY)));
    const update = editStoryBody(remote, () => {
      const node = $getRoot().getAllTextNodes().find((n) => n.getTextContent() === 'mobil listrik')!;
      node.getParent()!.remove();
    });
    await act(async () => stand.emit('docRemoteUpdate', { storyId: STORY, update }));
    await waitFor(() => threads()[0]?.dataset.detached === 'true', 'detached');

    const thread = threads()[0]!;
    expect(editorText()).not.toContain('mobil listrik');
    expect(thread.dataset.threadId).toBe(threadId);
    expect(thread.querySelector('.comment-quote')!.textContent).toBe('mobil listrik');
    expect(byTestId('comment-detached')).not.toBeNull();
    expect(thread.textContent).toContain('Ratna Kusumawardani');
    expect(thread.textContent).toContain('Setuju.');
  });
});
