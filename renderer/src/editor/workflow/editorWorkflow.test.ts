// @vitest-environment happy-dom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeMetaText } from '../../../../shared/doc/metaText';
import { addPhoto } from '../../../../shared/doc/photos';
import { getMetaMap } from '../../../../shared/doc/storyDoc';
import { writeStoryBody } from '../../../../shared/editor/headless';
import { STORY_STATUSES } from '../../../../shared/domain/story';
import { allowedCommands, type StoryRelation } from '../../../../shared/workflow/rules';
import { setCore } from '../../core/coreContext';
import { initI18n } from '../../i18n/i18n';
import { openReview } from '../../state/reviewStore';
import { settle, standInCore } from '../../testing/standInCore';
import EditorScreen from '../EditorScreen';
import { actionTestId } from './checklistView';
import { WorkflowActions } from './WorkflowControls';

/**
 * The workflow UI in the editor, rendered by React in happy-dom (Lexical and the Yjs binding
 * included) against the stand-in core's in-memory workflow over the real RPC layer.
 */

const STORY = '00000000-0000-4000-8000-0000000000a1';
const AUTHOR: StoryRelation = { role: 'penulis', isAuthor: true, isAssignedRedaktur: false };
const DESK: StoryRelation = { role: 'redaktur', isAuthor: false, isAssignedRedaktur: true };
const OTHER_REDAKTUR: StoryRelation = { role: 'redaktur', isAuthor: false, isAssignedRedaktur: false };
const ADMIN: StoryRelation = { role: 'admin', isAuthor: false, isAssignedRedaktur: false };

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
initI18n('id');

let stand: ReturnType<typeof standInCore>;
let root: Root | null = null;
let host: HTMLElement;

beforeEach(() => {
  stand = standInCore();
  setCore(stand.connection);
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(async () => {
  await act(async () => root?.unmount());
  root = null;
  host.remove();
});

async function mountEditor(): Promise<void> {
  root = createRoot(host);
  await act(async () => root!.render(createElement(EditorScreen, { storyId: STORY })));
  await act(() => settle(30));
}
const byTestId = <T extends HTMLElement = HTMLElement>(id: string) => host.querySelector<T>(`[data-testid="${id}"]`);
const all = (id: string) => [...host.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const shownActions = () => [...host.querySelectorAll<HTMLElement>('[data-testid^="action-"]')].map((b) => b.dataset.testid);
const click = async (el: HTMLElement | null) => {
  expect(el).not.toBeNull();
  await act(async () => el!.click());
  await act(() => settle(10));
};
/** Types into an input or textarea as the browser does: value, then an input event React hears. */
const typeInto = async (el: HTMLInputElement | HTMLTextAreaElement | null, value: string) => {
  expect(el).not.toBeNull();
  await act(async () => {
    const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
    el!.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(() => settle(150));
};
/** Waits (polling, generously) for a condition the UI reaches asynchronously. */
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await act(() => settle(20));
  expect(check()).toBe(true);
};

/** Everything the checklist blocks on, filled in the stand-in core's copy of the story. */
function fillStory({ headline = 'Harga Cabai Naik' } = {}): void {
  const doc = stand.docOf(STORY);
  writeMetaText(doc, 'headline', headline);
  getMetaMap(doc).set('dateline', 'JAKARTA');
  getMetaMap(doc).set('rubrikId', '11111111-1111-4111-8111-111111111111');
  getMetaMap(doc).set('redakturId', '22222222-2222-4222-8222-222222222222');
  writeStoryBody(doc, [{ type: 'paragraph', children: ['Harga cabai naik menjelang akhir tahun.'] }]);
}

describe('workflow actions', () => {
  it('shows exactly the actions core allows, for every role and status', async () => {
    root = createRoot(host);
    const doc = stand.docOf(STORY);
    await act(async () => root!.render(createElement(WorkflowActions, { doc })));
    for (const relation of [AUTHOR, DESK, OTHER_REDAKTUR, ADMIN]) {
      for (const status of STORY_STATUSES) {
        stand.commands.review(STORY, { relation, serverStatus: status });
        let close!: () => void;
        await act(async () => {
          close = openReview(STORY);
          await settle();
        });
        const expected = allowedCommands(relation, status).map(actionTestId);
        expect(shownActions(), `${relation.role}${relation.isAuthor ? ' (author)' : ''} on ${status}`).toEqual(expected);
        await act(async () => close());
      }
    }
  });

  it('the story-status badge follows core’s review state', async () => {
    stand.commands.review(STORY, { relation: DESK, serverStatus: 'submitted' });
    await mountEditor();
    expect(byTestId('story-status')?.dataset.status).toBe('submitted');
    await click(byTestId('action-claim'));
    expect(byTestId('story-status')?.dataset.status).toBe('in_review');
    expect(shownActions()).toEqual(['action-request-revision', 'action-approve', 'action-spike']);
  });

  it('a core without the workflow shows no actions and leaves the story editable', async () => {
    await mountEditor();
    expect(shownActions()).toEqual([]);
    expect(byTestId('editor-readonly-reason')).toBeNull();
    expect(byTestId('editor-body')?.getAttribute('contenteditable')).toBe('true');
    expect(byTestId<HTMLInputElement>('field-headline')?.readOnly).toBe(false);
  });
});

describe('revision request', () => {
  it('asks for a note, sends it with the command, and the reporter sees it at the top of the story', async () => {
    stand.commands.review(STORY, { relation: DESK, serverStatus: 'in_review' });
    await mountEditor();
    expect(byTestId('revision-note')).toBeNull();
    await click(byTestId('action-request-revision'));
    const submit = byTestId<HTMLButtonElement>('revision-submit');
    expect(byTestId('revision-note')).not.toBeNull();
    expect(submit?.disabled).toBe(true);
    await typeInto(byTestId<HTMLTextAreaElement>('revision-note'), '   ');
    expect(byTestId<HTMLButtonElement>('revision-submit')?.disabled).toBe(true);
    await typeInto(byTestId<HTMLTextAreaElement>('revision-note'), 'Tambahkan tanggapan Kementerian Perdagangan.');
    await click(byTestId('revision-submit'));
    expect(stand.commands.state.commandCalls).toEqual([
      { storyId: STORY, command: 'request_revision', note: 'Tambahkan tanggapan Kementerian Perdagangan.' },
    ]);
    expect(byTestId('revision-note')).toBeNull();
    expect(byTestId('story-status')?.dataset.status).toBe('revision_requested');
  });

  it('shows the reporter the note while the story is sent back, and no more once resubmitted', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'revision_requested', revisionNote: 'Periksa angka inflasi.' });
    fillStory();
    await mountEditor();
    expect(byTestId('revision-note-shown')?.textContent).toContain('Periksa angka inflasi.');
    expect(byTestId('editor-body')?.getAttribute('contenteditable')).toBe('true');
    await click(byTestId('action-submit'));
    await until(() => byTestId('submit-checklist')?.dataset.ok === 'true');
    await click(byTestId('checklist-submit'));
    expect(byTestId('story-status')?.dataset.status).toBe('submitted');
    expect(byTestId('revision-note-shown')).toBeNull();
  });
});

describe('read-only', () => {
  it('an approved story is locked for its reporter, with the reason in words', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'approved' });
    fillStory();
    await mountEditor();
    const reason = byTestId('editor-readonly-reason');
    expect(reason?.dataset.reason).toBe('approved');
    expect(reason?.textContent).toMatch(/disetujui/);
    expect(byTestId('editor-body')?.getAttribute('contenteditable')).toBe('false');
    for (const id of ['field-headline', 'field-subheadline', 'field-dateline', 'field-lead', 'field-tags']) {
      expect(byTestId<HTMLInputElement>(id)?.readOnly, id).toBe(true);
    }
    expect(byTestId<HTMLSelectElement>('select-rubrik')?.disabled).toBe(true);
    expect(byTestId<HTMLSelectElement>('select-redaktur')?.disabled).toBe(true);
    expect(byTestId<HTMLButtonElement>('toolbar-bold')?.disabled).toBe(true);
  });

  it('locks the open story the moment core says it moved on (submitted: with the redaktur)', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    await mountEditor();
    expect(byTestId('editor-body')?.getAttribute('contenteditable')).toBe('true');
    expect(byTestId<HTMLInputElement>('field-headline')?.readOnly).toBe(false);
    stand.commands.state.stories.get(STORY)!.serverStatus = 'submitted';
    stand.emit('reviewChanged', { storyId: STORY });
    await until(() => byTestId('editor-readonly-reason')?.dataset.reason === 'with_redaktur');
    expect(byTestId('editor-body')?.getAttribute('contenteditable')).toBe('false');
    expect(byTestId<HTMLInputElement>('field-headline')?.readOnly).toBe(true);
    expect(byTestId<HTMLSelectElement>('select-rubrik')?.disabled).toBe(true);
    // And unlocks when it comes back.
    stand.commands.state.stories.get(STORY)!.serverStatus = 'revision_requested';
    stand.emit('reviewChanged', { storyId: STORY });
    await until(() => byTestId('editor-readonly-reason') === null);
    expect(byTestId('editor-body')?.getAttribute('contenteditable')).toBe('true');
  });

  it('the redaktur may edit while the story is with the desk, not while it is with the reporter', async () => {
    stand.commands.review(STORY, { relation: DESK, serverStatus: 'draft' });
    await mountEditor();
    expect(byTestId('editor-readonly-reason')?.dataset.reason).toBe('with_penulis');
    expect(byTestId('editor-body')?.getAttribute('contenteditable')).toBe('false');
    stand.commands.state.stories.get(STORY)!.serverStatus = 'in_review';
    stand.emit('reviewChanged', { storyId: STORY });
    await until(() => byTestId('editor-body')?.getAttribute('contenteditable') === 'true');
    expect(byTestId('editor-readonly-reason')).toBeNull();
  });
});

describe('pre-submit checklist', () => {
  it('opens from action-submit, marks each item, and blocks submit until the blocking ones pass', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    fillStory({ headline: '' });
    await mountEditor();
    expect(byTestId('submit-checklist')).toBeNull();
    await click(byTestId('action-submit'));
    expect(byTestId('submit-checklist')).not.toBeNull();
    expect(all('checklist-item').map((i) => [i.dataset.item, i.dataset.severity, i.dataset.ok])).toEqual([
      ['headline', 'blocking', 'false'],
      ['rubrik', 'blocking', 'true'],
      ['redaktur', 'blocking', 'true'],
      ['dateline', 'blocking', 'true'],
      ['placeholder', 'blocking', 'true'],
      // Six words against the general target of 600: a warning, which does not hold submit up.
      ['length', 'warning', 'false'],
    ]);
    expect(byTestId<HTMLButtonElement>('checklist-submit')?.disabled).toBe(true);
    expect(byTestId<HTMLButtonElement>('action-submit')?.disabled).toBe(true);
    await click(byTestId('action-submit'));
    expect(stand.commands.state.commandCalls).toEqual([]);

    // The item leads to its field; fixing the field updates the list at once.
    await click(all('checklist-item').find((i) => i.dataset.item === 'headline')!.querySelector('button'));
    expect(document.activeElement).toBe(byTestId('field-headline'));
    await typeInto(byTestId<HTMLInputElement>('field-headline'), 'Harga Cabai Naik TK');
    await until(() => all('checklist-item').find((i) => i.dataset.item === 'headline')?.dataset.ok === 'true');
    const placeholder = all('checklist-item').find((i) => i.dataset.item === 'placeholder');
    expect(placeholder?.dataset.ok).toBe('false');
    expect(placeholder?.textContent).toMatch(/“TK”.*judul/);
    expect(byTestId<HTMLButtonElement>('checklist-submit')?.disabled).toBe(true);
    await typeInto(byTestId<HTMLInputElement>('field-headline'), 'Harga Cabai Naik');
    await until(() => byTestId('submit-checklist')?.dataset.ok === 'true');
    expect(byTestId<HTMLButtonElement>('action-submit')?.disabled).toBe(false);
    await click(byTestId('action-submit'));
    expect(stand.commands.state.commandCalls.map((c) => c.command)).toEqual(['submit']);
    expect(byTestId('submit-checklist')).toBeNull();
    expect(byTestId('story-status')?.dataset.status).toBe('submitted');
  });

  it('blocks while a photo has no credit, naming the photo', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    fillStory();
    const photo = { mime: 'image/jpeg', width: 10, height: 10, photographer: '', source: '', dateTaken: '' };
    addPhoto(stand.docOf(STORY), 'p1', { ...photo, sha256: 'a'.repeat(64), caption: 'Pasar Induk', credit: 'KJ/Budi' });
    addPhoto(stand.docOf(STORY), 'p2', { ...photo, sha256: 'b'.repeat(64), caption: 'Petani cabai di Brebes', credit: '' });
    await mountEditor();
    await click(byTestId('action-submit'));
    const credits = all('checklist-item').filter((i) => i.dataset.item === 'photo_credit');
    expect(credits.map((i) => i.dataset.ok)).toEqual(['true', 'false']);
    expect(credits[1]?.textContent).toContain('Petani cabai di Brebes');
    expect(byTestId<HTMLButtonElement>('checklist-submit')?.disabled).toBe(true);
  });

  it('leads each failing item to its field: rubrik and redaktur pickers, dateline', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    await mountEditor();
    await click(byTestId('action-submit'));
    const item = (id: string) => all('checklist-item').find((i) => i.dataset.item === id)!.querySelector('button');
    for (const [id, target] of [['rubrik', 'select-rubrik'], ['redaktur', 'select-redaktur'], ['dateline', 'field-dateline']] as const) {
      await click(item(id));
      expect(document.activeElement, id).toBe(byTestId(target));
    }
  });

  it('Ctrl+Enter opens the checklist and, once it passes, sends; Esc closes it and keeps the story open', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    fillStory();
    await mountEditor();
    const press = async (init: KeyboardEventInit) => {
      await act(async () => {
        byTestId('editor-body')!.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
      });
      await act(() => settle(20));
    };
    await press({ key: 'Enter', ctrlKey: true });
    expect(byTestId('submit-checklist')).not.toBeNull();
    await act(async () => {
      byTestId('submit-checklist')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    });
    expect(byTestId('submit-checklist')).toBeNull();
    expect(byTestId('editor-pane')).not.toBeNull();
    // From a field the checklist led to, Esc closes the checklist too (and the story stays open).
    await press({ key: 'Enter', ctrlKey: true });
    await click(all('checklist-item')[0]!.querySelector('button'));
    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    await act(async () => void byTestId('field-headline')!.dispatchEvent(esc));
    expect(esc.defaultPrevented).toBe(true);
    expect(byTestId('submit-checklist')).toBeNull();
    await press({ key: 'Enter', metaKey: true });
    await until(() => byTestId('submit-checklist')?.dataset.ok === 'true');
    await press({ key: 'Enter', metaKey: true });
    expect(stand.commands.state.commandCalls.map((c) => c.command)).toEqual(['submit']);
  });

  it('Ctrl+Enter in the story’s fields submits; other text boxes keep the keys', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    await mountEditor();
    const search = document.createElement('input');
    document.body.append(search);
    await act(async () => {
      search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
    });
    expect(byTestId('submit-checklist')).toBeNull();
    search.remove();
    await act(async () => {
      byTestId('field-headline')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
    });
    expect(byTestId('submit-checklist')).not.toBeNull();
  });

  it('Ctrl+Enter does nothing where submit is not allowed', async () => {
    stand.commands.review(STORY, { relation: DESK, serverStatus: 'in_review' });
    await mountEditor();
    await act(async () => {
      byTestId('editor-body')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
    });
    expect(byTestId('submit-checklist')).toBeNull();
  });
});

describe('offline and refused commands', () => {
  it('a command given offline shows as waiting to be sent, until it is sent', async () => {
    stand.commands.review(STORY, { relation: DESK, serverStatus: 'submitted' });
    stand.commands.state.online = false;
    await mountEditor();
    expect(byTestId('workflow-pending')).toBeNull();
    await click(byTestId('action-claim'));
    expect(byTestId('workflow-pending')?.textContent).toMatch(/menunggu dikirim/);
    expect(byTestId('story-status')?.dataset.status).toBe('in_review');
    stand.commands.deliver(STORY);
    await until(() => byTestId('workflow-pending') === null);
  });

  it('shows the server’s refusal with its reason until dismissed', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    stand.commands.state.online = false;
    fillStory();
    await mountEditor();
    await click(byTestId('action-submit'));
    await until(() => byTestId('submit-checklist')?.dataset.ok === 'true');
    await click(byTestId('checklist-submit'));
    stand.commands.refuse(STORY, 'checklist_failed', 'submit refused', ['dateline', 'photo_credit:p1']);
    await until(() => byTestId('workflow-refusal') !== null);
    const refusal = byTestId('workflow-refusal')!;
    expect(refusal.dataset.code).toBe('checklist_failed');
    expect(refusal.textContent).toMatch(/Daftar periksa belum lengkap/);
    expect(refusal.textContent).toMatch(/dateline, kredit foto/);
    await click(byTestId('workflow-refusal-dismiss'));
    expect(byTestId('workflow-refusal')).toBeNull();
    expect(stand.commands.state.stories.get(STORY)!.lastRefusal).toBeNull();
  });

  it('says so when core refuses a command at once', async () => {
    stand.commands.review(STORY, { relation: DESK, serverStatus: 'submitted' });
    await mountEditor();
    // Core has meanwhile learnt the story was spiked; the button is still on screen.
    stand.commands.state.stories.get(STORY)!.serverStatus = 'spiked';
    await click(byTestId('action-claim'));
    expect(byTestId('workflow-error')?.dataset.code).toBe('workflow_refused');
  });
});
