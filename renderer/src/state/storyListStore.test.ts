import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorySummary } from '../../../shared/domain/story';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { createRpcServer } from '../../../shared/rpc/server';
import { setCore } from '../core/coreContext';
import type { ReconnectingEndpoint } from '../core/reconnectingEndpoint';
import { useNewsroom } from './newsroomStore';
import { applyStoryChanged, ensureRows, PAGE_SIZE, reloadList, setFilter, useStoryList } from './storyListStore';

/** A stand-in core over the real RPC layer (memory transport), holding n summaries newest first. */
function fakeCore(n: number) {
  const stories: StorySummary[] = Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    headline: `Berita ${i}`,
    status: i % 10 === 0 ? 'approved' : 'draft',
    updatedAt: 1_000_000 - i,
    createdAt: 0,
    wordCount: i,
    deletedAt: null,
    damaged: false,
    rubrikId: null,
    redakturId: null,
    penulisIds: [],
    syncState: 'local',
    conflictOf: null,
  }));
  const listCalls: Array<{ offset: number; limit: number }> = [];
  const fail = () => Promise.reject(new Error('not in this test'));
  const services = {
    stories: {
      async list(input: { status?: string; limit?: number; offset?: number }) {
        const rows = stories.filter((s) => !input.status || s.status === input.status);
        const offset = input.offset ?? 0;
        const limit = input.limit ?? 100;
        listCalls.push({ offset, limit });
        return { items: rows.slice(offset, offset + limit), total: rows.length };
      },
      create: fail,
      get: fail,
      search: fail,
      delete: fail,
      restore: fail,
    },
    docs: { open: fail, push: fail, close: fail },
    settings: { getAll: fail, set: fail },
  };
  const [a, b] = createMemoryEndpointPair();
  // Schemas are not under test here: accept anything.
  const anySchema = { safeParse: (v: unknown) => ({ success: true, data: v }) };
  const schemas = Object.fromEntries(
    Object.entries(services).map(([s, methods]) => [s, Object.fromEntries(Object.keys(methods).map((m) => [m, anySchema]))]),
  );
  createRpcServer(services as never, schemas as never).attach(a);
  const client = createRpcClient<CoreServices, CoreEvents>(b);
  setCore({ client, endpoint: b as unknown as ReconnectingEndpoint, transport: 'websocket' });
  return { stories, listCalls };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('story list store', () => {
  beforeEach(() => useStoryList.setState({ filter: 'all', total: null, rows: [], loadError: false, query: '', results: null }));
  afterEach(() => useStoryList.setState({ rows: [] }));

  it('loads the first page only, then the pages the view scrolls to', async () => {
    const { listCalls } = fakeCore(10_000);
    await reloadList();
    const s = useStoryList.getState();
    expect(s.total).toBe(10_000);
    expect(s.rows.filter(Boolean)).toHaveLength(PAGE_SIZE);
    expect(listCalls).toEqual([{ offset: 0, limit: PAGE_SIZE }]);

    ensureRows(5_000, 5_020); // the middle of the list comes into view
    ensureRows(5_000, 5_020); // asked again while in flight: no second request
    await settle();
    expect(listCalls.map((c) => c.offset)).toEqual([0, 5_000]);
    expect(useStoryList.getState().rows[5_010]?.headline).toBe('Berita 5010');
    expect(useStoryList.getState().rows[4_999]).toBeUndefined();
  });

  it('updates a row in place on storyChanged, filters by status, and reloads when a story leaves the filter', async () => {
    const { stories } = fakeCore(500);
    await reloadList();
    applyStoryChanged({ ...stories[3]!, headline: 'Judul baru', wordCount: 42 });
    expect(useStoryList.getState().rows[3]).toMatchObject({ headline: 'Judul baru', wordCount: 42 });

    setFilter('approved');
    await settle();
    expect(useStoryList.getState().total).toBe(50);
    expect(useStoryList.getState().rows.every((r) => r?.status === 'approved')).toBe(true);

    stories[0]!.status = 'draft'; // core changed it
    applyStoryChanged(stories[0]!);
    await new Promise((r) => setTimeout(r, 400)); // debounced reload
    expect(useStoryList.getState().total).toBe(49);
    expect(useStoryList.getState().rows.some((r) => r?.id === stories[0]!.id)).toBe(false);
  });

  it("'menunggu saya' lists the stories whose redaktur is the logged-in user, and follows assignments live", async () => {
    const { stories } = fakeCore(1_000);
    const me = 'u-redaktur-1';
    useNewsroom.setState({
      account: { state: 'logged_in', serverUrl: 'http://127.0.0.1:8080', user: { id: me, username: 'redaktur1', displayName: 'Ratna', role: 'redaktur' }, owner: null },
    });
    stories.forEach((s, i) => (s.redakturId = i % 100 === 7 ? me : i % 2 ? 'u-redaktur-2' : null));
    setFilter('waiting');
    await settle();
    expect(useStoryList.getState().total).toBe(10);
    expect(useStoryList.getState().rows.map((r) => r?.headline)).toEqual([7, 107, 207, 307, 407, 507, 607, 707, 807, 907].map((i) => `Berita ${i}`));

    // A story newly assigned to me comes in, one taken away goes.
    stories[8]!.redakturId = me;
    applyStoryChanged(stories[8]!);
    stories[7]!.redakturId = 'u-redaktur-2';
    applyStoryChanged(stories[7]!);
    await new Promise((r) => setTimeout(r, 400)); // debounced reload
    expect(useStoryList.getState().rows.map((r) => r?.headline).slice(0, 2)).toEqual(['Berita 8', 'Berita 107']);
    expect(useStoryList.getState().total).toBe(10);
    useNewsroom.setState({ account: null });
    setFilter('all');
  });
});
