// @vitest-environment happy-dom
import { $getRoot } from 'lexical';
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { editStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import { RpcError } from '../../../shared/rpc/protocol';
import type { VersionSummary } from '../../../shared/server-api/workflow';
import { setCore } from '../core/coreContext';
import { initI18n } from '../i18n/i18n';
import { useNewsroom } from '../state/newsroomStore';
import { openReview } from '../state/reviewStore';
import { useStoryList } from '../state/storyListStore';
import { settle, standInCore } from '../testing/standInCore';
import { HistoryPanel } from './HistoryPanel';

/** Version history and the diff view in a page (happy-dom), against the stand-in core. */

const STORY = '00000000-0000-4000-8000-0000000000d1';
const PENULIS = '00000000-0000-4000-8000-00000000b001';
const REDAKTUR = '00000000-0000-4000-8000-00000000b002';
const FILED = '00000000-0000-4000-8000-00000000f001';
const EDITED = '00000000-0000-4000-8000-00000000f002';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  initI18n('en');
});

function replaceInBody(doc: Y.Doc, words: string, by: string) {
  editStoryBody(doc, () => {
    const node = $getRoot()
      .getAllTextNodes()
      .find((n) => n.getTextContent().includes(words))!;
    node.spliceText(node.getTextContent().indexOf(words), words.length, by);
  });
}

let root: Root;
let host: HTMLElement;
let stand: ReturnType<typeof standInCore>;
let stopWatching: () => void;
/** The open document ("now"). */
let doc: Y.Doc;

beforeEach(async () => {
  stand = standInCore();
  setCore(stand.connection);
  useNewsroom.setState({
    directory: {
      ...useNewsroom.getState().directory,
      users: [
        { id: PENULIS, username: 'penulis1', displayName: 'Agus Prasetyo', role: 'penulis', active: true, rubrikIds: [] },
        { id: REDAKTUR, username: 'redaktur1', displayName: 'Ratna Kusumawardani', role: 'redaktur', active: true, rubrikIds: [] },
      ],
    } as never,
  });
  doc = new Y.Doc();
  writeStoryBody(doc, [{ type: 'paragraph', children: ['Harga naik tiga persen pekan ini.'] }]);
  writeMetaText(doc, 'headline', 'Harga Naik');
  const filed: VersionSummary = { id: FILED, storyId: STORY, kind: 'filed', createdBy: PENULIS, createdAt: Date.UTC(2026, 11, 1, 9) };
  stand.workflow.addVersion(filed, Y.encodeStateAsUpdate(doc));
  replaceInBody(doc, 'tiga', 'empat');
  writeMetaText(doc, 'headline', 'Harga Naik Lagi');
  const edited: VersionSummary = { id: EDITED, storyId: STORY, kind: 'edited', createdBy: REDAKTUR, createdAt: Date.UTC(2026, 11, 1, 11) };
  stand.workflow.addVersion(edited, Y.encodeStateAsUpdate(doc));
  replaceInBody(doc, 'pekan ini', 'bulan ini');

  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  await act(async () => {
    stopWatching = openReview(STORY);
    root.render(createElement(HistoryPanel, { storyId: STORY, doc }));
  });
  await waitFor(() => host.querySelector('.history-count')?.textContent === '2', 'the versions');
});

afterEach(async () => {
  await act(async () => root.unmount());
  stopWatching();
  host.remove();
});

async function waitFor(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await act(async () => settle(10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const byTestId = (id: string) => host.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
const items = () => [...host.querySelectorAll('[data-testid="version-item"]')] as HTMLElement[];
const texts = (testId: string) => [...host.querySelectorAll(`[data-testid="diff-view"] .diff-body [data-testid="${testId}"]`)].map((e) => e.textContent);

async function click(el: HTMLElement): Promise<void> {
  await act(async () => {
    el.click();
  });
}

describe('version history and the diff view', () => {
  it('history-open lists the versions newest first with kind, who and when', async () => {
    await click(byTestId('history-open')!);
    expect(items().map((i) => i.dataset.kind)).toEqual(['edited', 'filed']);
    expect(items()[0]!.textContent).toContain('As edited');
    expect(items()[0]!.textContent).toContain('Ratna Kusumawardani');
    expect(items()[1]!.textContent).toContain('Agus Prasetyo');
    expect(byTestId('diff-view')).toBeNull();
  });

  it('one version against now, then two versions: words added and removed, fields, and who made the later one', async () => {
    await click(byTestId('history-open')!);
    await click(items()[1]!); // as filed … now
    await waitFor(() => byTestId('diff-view') !== null, 'the diff');
    expect(texts('diff-removed')).toEqual(['tiga', 'pekan']);
    expect(texts('diff-added')).toEqual(['empat', 'bulan']);
    expect(byTestId('diff-attribution')!.textContent).toBe('Changes since that version (not a version yet)');

    await click(items()[0]!); // as filed … as edited
    await waitFor(() => byTestId('diff-attribution')?.textContent === 'Changes by Ratna Kusumawardani', 'the second diff');
    expect(texts('diff-removed')).toEqual(['tiga']);
    expect(texts('diff-added')).toEqual(['empat']);
    const headline = host.querySelector('[data-testid="diff-field"][data-field="headline"]')!;
    expect(headline.querySelector('ins')!.textContent).toBe('Lagi');
    expect(byTestId('diff-stats')!.dataset).toMatchObject({ added: '1', removed: '1' });
  });

  it('compared with now, names who edited after that version (not who edited only before) and "you" for edits not yet synced', async () => {
    const hour = (h: number, m = 0) => Date.UTC(2026, 11, 1, h, m);
    // The penulis's last edit went with the filing (same instant); the redaktur edited from 10:00 to 11:30.
    await act(async () =>
      stand.workflow.setEditors(STORY, [
        { userId: PENULIS, firstAt: hour(8), lastAt: hour(9) },
        { userId: REDAKTUR, firstAt: hour(10), lastAt: hour(11, 30) },
      ]),
    );
    await click(byTestId('history-open')!);
    await click(items()[1]!); // as filed … now
    await waitFor(() => byTestId('diff-view') !== null, 'the diff');
    await waitFor(() => byTestId('diff-attribution')!.textContent === 'Changes since that version by Ratna Kusumawardani (not a version yet)', 'the redaktur named');

    // This profile holds edits the server has not taken yet: "you" too.
    const listed = useStoryList.getState().rows;
    useStoryList.setState({ rows: [{ id: STORY, syncState: 'pending' } as never] });
    try {
      await waitFor(
        () => byTestId('diff-attribution')!.textContent === 'Changes since that version by Ratna Kusumawardani and you (not a version yet)',
        'you named',
      );
    } finally {
      useStoryList.setState({ rows: listed });
    }
    // Since the redaktur's version the penulis did not edit; the redaktur did.
    await click(items()[1]!); // let go of "filed"
    await click(items()[0]!); // as edited … now
    await waitFor(() => byTestId('diff-attribution')?.textContent === 'Changes since that version by Ratna Kusumawardani (not a version yet)', 'the later diff');
    expect(byTestId('diff-attribution')!.textContent).not.toContain('Agus');
  });

  it('compared with now, edits made meanwhile show in the diff', async () => {
    await click(byTestId('history-open')!);
    await click(items()[0]!); // as edited … now
    await waitFor(() => byTestId('diff-view') !== null);
    expect(texts('diff-added')).toEqual(['bulan']);
    replaceInBody(doc, 'Harga', 'Harga beras');
    await waitFor(() => texts('diff-added').map((x) => x?.trim()).join(' ') === 'beras bulan', 'the new edit in the diff');
  });

  it('versions fetched once compare again offline, and one never fetched says why it cannot', async () => {
    await click(byTestId('history-open')!);
    await click(items()[1]!);
    await waitFor(() => byTestId('diff-view') !== null);
    expect(stand.workflow.calls.version).toEqual([FILED]);
    // Offline from here: core has nothing more to give.
    stand.workflow.faults.version = new RpcError('server_unreachable', 'offline');
    await click(items()[1]!); // let go of "filed"
    await click(items()[1]!); // and choose it again
    await waitFor(() => byTestId('diff-view') !== null);
    expect(texts('diff-added')).toEqual(['empat', 'bulan']);
    await click(items()[0]!); // "edited" was never fetched
    await waitFor(() => host.querySelector('.history-note.is-error') !== null, 'the error');
    expect(host.querySelector('.history-note.is-error')!.textContent).toContain('server_unreachable');
  });
});
