// @vitest-environment happy-dom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_DIRECTORY } from '../../../shared/domain/newsroom';
import type { StorySummary } from '../../../shared/domain/story';
import { initI18n } from '../i18n/i18n';
import { useNewsroom } from '../state/newsroomStore';
import { StoryRow } from './StoryRow';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
initI18n('id');

const story = (over: Partial<StorySummary>): StorySummary => ({
  id: '00000000-0000-4000-8000-000000000001',
  headline: 'Harga Cabai Naik',
  status: 'draft',
  updatedAt: 0,
  createdAt: 0,
  wordCount: 0,
  deletedAt: null,
  damaged: false,
  rubrikId: null,
  redakturId: null,
  penulisIds: [],
  syncState: 'synced',
  conflictOf: null,
  ...over,
});

let root: Root;
let host: HTMLElement;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
  useNewsroom.setState({ account: null, directory: EMPTY_DIRECTORY });
});

const render = (s: StorySummary) => act(async () => root.render(createElement(StoryRow, { story: s })));
const q = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);

describe('StoryRow', () => {
  it('shows the status badge (story-status) matching the row’s data-status, in words', async () => {
    await render(story({ status: 'revision_requested' }));
    expect(q('story-item')?.dataset.status).toBe('revision_requested');
    expect(q('story-status')?.dataset.status).toBe('revision_requested');
    expect(q('story-status')?.textContent).toBe('Perlu revisi');
    expect(q('story-queue')).toBeNull();
  });

  it('marks a story waiting for the logged-in redaktur', async () => {
    useNewsroom.setState({
      account: { state: 'logged_in', serverUrl: null, user: { id: 'me', username: 'r', displayName: 'R', role: 'redaktur' }, owner: null },
    });
    await render(story({ status: 'submitted', redakturId: 'me' }));
    expect(q('story-item')?.dataset.queue).toBe('true');
    expect(q('story-queue')?.textContent).toBe('Menunggu Anda');
    await render(story({ status: 'approved', redakturId: 'me' }));
    expect(q('story-queue')).toBeNull();
  });

  it('shows the status a queued command leads to, marked as waiting to be sent, while the queue follows the server', async () => {
    useNewsroom.setState({
      account: { state: 'logged_in', serverUrl: null, user: { id: 'me', username: 'r', displayName: 'R', role: 'redaktur' }, owner: null },
    });
    // Claimed offline: the server still says submitted (so it stays in my queue), the row says Disunting.
    await render(story({ status: 'submitted', pendingStatus: 'in_review', redakturId: 'me' }));
    expect(q('story-status')?.dataset.status).toBe('in_review');
    expect(q('story-status-pending')?.textContent).toBe('menunggu dikirim');
    expect(q('story-item')?.dataset.status).toBe('submitted');
    expect(q('story-item')?.dataset.queue).toBe('true');
    await render(story({ status: 'in_review', redakturId: 'me' }));
    expect(q('story-status')?.dataset.status).toBe('in_review');
    expect(q('story-status-pending')).toBeNull();
  });
});
