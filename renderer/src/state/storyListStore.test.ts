import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_DIRECTORY } from '../../../shared/domain/newsroom';
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
  afterEach(() => {
    useStoryList.setState({ rows: [], filter: 'all' });
    useNewsroom.setState({ account: null, directory: EMPTY_DIRECTORY });
  });

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

  it("'menunggu saya' lists the filed stories addressed to me or to a rubrik I edit, and follows them live", async () => {
    const { stories } = fakeCore(1_000);
    logInAs(ME, ['ekonomi']);
    stories.forEach((s, i) => {
      s.status = i % 3 === 0 ? 'submitted' : i % 3 === 1 ? 'in_review' : 'draft';
      s.redakturId = i % 100 === 7 ? ME : i % 2 ? 'u-redaktur-2' : null;
      s.rubrikId = i % 100 === 30 ? 'otomotif' : i % 100 === 31 ? 'nasional' : null;
    });
    setFilter('waiting');
    await settle();
    // Addressed to me (7, 107, …) or filed in Otomotif, under my Ekonomi (30, 130, …); drafts wait for nobody; Nasional (31, …) is not mine.
    const expected = stories.filter((s, i) => (i % 100 === 7 || i % 100 === 30) && s.status !== 'draft').map((s) => s.headline);
    expect(expected.length).toBeGreaterThan(5);
    expect(useStoryList.getState().rows.map((r) => r?.headline)).toEqual(expected);
    expect(useStoryList.getState().total).toBe(expected.length);

    // A story newly addressed to me comes in; one approved meanwhile leaves.
    const incoming = stories.find((s, i) => i % 100 === 8 && s.status === 'submitted')!;
    incoming.redakturId = ME;
    applyStoryChanged(incoming);
    const decided = stories.find((s) => s.headline === expected[0])!;
    decided.status = 'approved';
    applyStoryChanged(decided);
    await new Promise((r) => setTimeout(r, 400)); // debounced reload
    const headlines = useStoryList.getState().rows.map((r) => r?.headline);
    expect(headlines).toContain(incoming.headline);
    expect(headlines).not.toContain(decided.headline);
    expect(useStoryList.getState().total).toBe(expected.length);
  });

  it("a redaktur's full list shows their queue first, then every other story, each in the list's order", async () => {
    const { stories, listCalls } = fakeCore(300);
    stories.forEach((s, i) => {
      s.status = i === 40 || i === 250 ? 'submitted' : i === 120 ? 'in_review' : i === 200 ? 'submitted' : 'draft';
      s.redakturId = i === 40 || i === 120 ? ME : i === 200 ? 'u-redaktur-2' : null;
      s.rubrikId = i === 250 ? 'industri' : null;
    });
    logInAs(ME, ['ekonomi']);
    await reloadList();
    const rows = useStoryList.getState().rows;
    expect(rows.slice(0, 4).map((r) => r?.headline)).toEqual(['Berita 40', 'Berita 120', 'Berita 250', 'Berita 0']);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r?.id)).size).toBe(300);
    // Read whole: one call, no page holes to fetch.
    expect(listCalls).toHaveLength(1);

    // Claimed (still in the queue): stays in place; approved: leaves the top.
    stories[40]!.status = 'in_review';
    applyStoryChanged(stories[40]!);
    expect(useStoryList.getState().rows[0]).toMatchObject({ headline: 'Berita 40', status: 'in_review' });
    stories[120]!.status = 'approved';
    applyStoryChanged(stories[120]!);
    await new Promise((r) => setTimeout(r, 400)); // debounced reload
    expect(useStoryList.getState().rows.slice(0, 3).map((r) => r?.headline)).toEqual(['Berita 40', 'Berita 250', 'Berita 0']);
  });

  it('a penulis (or nobody logged in) gets the plain list, page by page', async () => {
    const { stories, listCalls } = fakeCore(1_000);
    stories[500]!.status = 'submitted';
    stories[500]!.redakturId = ME;
    useNewsroom.setState({
      account: { state: 'logged_in', serverUrl: 'http://127.0.0.1:8080', user: { id: ME, username: 'p', displayName: 'P', role: 'penulis' }, owner: null },
    });
    await reloadList();
    expect(listCalls).toEqual([{ offset: 0, limit: PAGE_SIZE }]);
    expect(useStoryList.getState().rows[0]?.headline).toBe('Berita 0');
  });
});

const ME = 'u-redaktur-1';

/** Logs a redaktur in (in the newsroom store) with a directory where Ekonomi › Industri › Otomotif exists. */
function logInAs(id: string, rubrikIds: string[]): void {
  useNewsroom.setState({
    account: { state: 'logged_in', serverUrl: 'http://127.0.0.1:8080', user: { id, username: 'redaktur1', displayName: 'Ratna', role: 'redaktur' }, owner: null },
    directory: {
      version: 1,
      users: [{ id, username: 'redaktur1', displayName: 'Ratna', role: 'redaktur', active: true, rubrikIds }],
      rubrik: [
        { id: 'ekonomi', parentId: null, name: 'Ekonomi', path: 'Ekonomi', position: 0 },
        { id: 'industri', parentId: 'ekonomi', name: 'Industri', path: 'Ekonomi › Industri', position: 0 },
        { id: 'otomotif', parentId: 'industri', name: 'Otomotif', path: 'Ekonomi › Industri › Otomotif', position: 0 },
        { id: 'nasional', parentId: null, name: 'Nasional', path: 'Nasional', position: 1 },
      ],
    },
  });
}
