import { create } from 'zustand';
import type { StorySearchHit, StorySummary } from '../../../shared/domain/story';
import { core } from '../core/coreContext';
import type { AccountUser, Directory } from '../../../shared/domain/newsroom';
import { queueViewerOf } from '../newsroom/directoryView';
import { inQueue, listQuery, matchesFilter, queueFirst, type ListFilter, type QueueViewer } from './listFilter';
import { useNewsroom } from './newsroomStore';

/** Rows fetched per stories.list call; the list view windows them. */
export const PAGE_SIZE = 200;
const SEARCH_DEBOUNCE_MS = 180;
/** Search shows the best hits; past this many the user narrows the query. */
export const SEARCH_LIMIT = 100;
const RELOAD_DEBOUNCE_MS = 300;

interface StoryListState {
  filter: ListFilter;
  /** Number of stories under the filter; null until the first page arrives. */
  total: number | null;
  /** Sparse: index → row; holes are pages not fetched yet. */
  rows: ReadonlyArray<StorySummary | undefined>;
  loadError: boolean;
  query: string;
  /** null when no search is active. */
  results: StorySearchHit[] | null;
  searching: boolean;
}

export const useStoryList = create<StoryListState>(() => ({
  filter: 'all',
  total: null,
  rows: [],
  loadError: false,
  query: '',
  results: null,
  searching: false,
}));

const set = useStoryList.setState;
const get = useStoryList.getState;

let viewerCache: { directory: Directory; user: AccountUser | null; viewer: QueueViewer | null } | null = null;

/**
 * The logged-in redaktur (kept while the session is expired) as the queue sees them, or null;
 * the same object while the directory and user stay, so components may select it.
 */
export function queueViewer(state = useNewsroom.getState()): QueueViewer | null {
  const directory = state.directory;
  const user = state.account?.user ?? null;
  if (viewerCache?.directory !== directory || viewerCache.user !== user) {
    viewerCache = { directory, user, viewer: queueViewerOf(directory, user) };
  }
  return viewerCache.viewer;
}

/**
 * Whether the view is read whole rather than page by page: the queue ('waiting'), and a
 * redaktur's 'all', which shows their queue first (stories.list has no such order).
 */
function readWhole(filter: ListFilter): boolean {
  return filter === 'waiting' || (filter === 'all' && queueViewer() !== null);
}

/** Most stories 'waiting' reads at once (stories.list's own upper bound). */
const WAITING_SCAN_LIMIT = 50_000;

/** Bumped whenever the list is rebuilt, so late answers for an older view are dropped. */
let generation = 0;
const requested = new Set<number>();

async function fetchPage(page: number, gen: number): Promise<void> {
  if (requested.has(page)) return;
  requested.add(page);
  if (readWhole(get().filter)) return fetchWhole(gen);
  try {
    const res = await core().client.services.stories.list({ ...listQuery(get().filter), limit: PAGE_SIZE, offset: page * PAGE_SIZE });
    if (gen !== generation) return;
    const prev = get();
    const keepOld = prev.total === res.total;
    const rows = keepOld ? prev.rows.slice() : new Array<StorySummary | undefined>(res.total);
    res.items.forEach((item, i) => (rows[page * PAGE_SIZE + i] = item));
    if (!keepOld) {
      // The total moved (stories added or removed elsewhere): other pages are stale.
      requested.clear();
      requested.add(page);
    }
    rows.length = res.total;
    set({ rows, total: res.total, loadError: false });
  } catch {
    requested.delete(page);
    if (gen === generation) set({ loadError: true });
  }
}

/**
 * The whole list in one call (a redaktur's profile holds the stories of their rubrik, not the
 * whole newsroom), kept whole so no page is fetched later: the queue alone ('waiting'), or
 * the queue first and then every other story ('all').
 */
async function fetchWhole(gen: number): Promise<void> {
  try {
    const res = await core().client.services.stories.list({ limit: WAITING_SCAN_LIMIT, offset: 0 });
    if (gen !== generation) return;
    const viewer = queueViewer();
    const rows = get().filter === 'waiting' ? res.items.filter((s) => matchesFilter(s, 'waiting', viewer)) : queueFirst(res.items, viewer);
    set({ rows, total: rows.length, loadError: false });
  } catch {
    requested.delete(0);
    if (gen === generation) set({ loadError: true });
  }
}

/** Rebuilds the list from the first page (filter change, reconnect, a story added elsewhere). */
export function reloadList(): Promise<void> {
  generation++;
  requested.clear();
  return fetchPage(0, generation);
}

/** Called by the windowed view with the indices it is about to show. */
export function ensureRows(first: number, last: number): void {
  const { rows, total } = get();
  if (total === null) return;
  const end = Math.min(last, total - 1);
  for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(end / PAGE_SIZE); p++) {
    if (p * PAGE_SIZE < total && rows[p * PAGE_SIZE] === undefined) void fetchPage(p, generation);
  }
}

export function setFilter(filter: ListFilter): void {
  if (filter === get().filter) return;
  set({ filter, total: null, rows: [] });
  void reloadList();
  if (get().query.trim()) scheduleSearch(0);
}

let reloadTimer: ReturnType<typeof setTimeout> | null = null;
function scheduleReload(): void {
  if (reloadTimer) clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => {
    reloadTimer = null;
    void reloadList();
  }, RELOAD_DEBOUNCE_MS);
}

/**
 * A storyChanged event: update the row in place (rows do not jump while someone types),
 * or rebuild when the story enters or leaves the current view.
 */
export function applyStoryChanged(story: StorySummary): void {
  const { rows, filter, results } = get();
  const index = rows.findIndex((r) => r?.id === story.id);
  const viewer = queueViewer();
  const belongs = matchesFilter(story, filter, viewer);
  // With the queue shown first, a story entering or leaving it moves: rebuild.
  const keepsPlace = index < 0 || filter !== 'all' || inQueue(rows[index]!, viewer) === inQueue(story, viewer);
  if (index >= 0 && belongs && keepsPlace) {
    const next = rows.slice();
    next[index] = story;
    set({ rows: next });
  } else if (index >= 0 || belongs) {
    scheduleReload();
  }
  // Any change may add or drop hits (a body word typed, a headline edited): search again,
  // at most once a second while a story is being typed into.
  if (get().query.trim()) refreshSearchSoon();
  if (results) {
    const i = results.findIndex((r) => r.id === story.id);
    if (i >= 0) {
      const next = results.slice();
      next[i] = { ...next[i]!, ...story };
      set({ results: story.deletedAt === null ? next : next.filter((r) => r.id !== story.id) });
    }
  }
}

/** A new user or directory changes who "me" is and which rubrik are mine: rebuild the views that depend on it. */
export function followQueueViewer(): () => void {
  const key = (v: QueueViewer | null) => (v ? `${v.id}:${[...v.rubrikIds].sort().join(',')}` : '');
  return useNewsroom.subscribe((state, previous) => {
    const user = state.account?.user ?? null;
    const userBefore = previous.account?.user ?? null;
    if (state.directory === previous.directory && user === userBefore) return;
    if (key(queueViewerOf(state.directory, user)) === key(queueViewerOf(previous.directory, userBefore))) return;
    const filter = get().filter;
    if (filter === 'waiting' || filter === 'all') void reloadList();
  });
}

/** Removes a row at once (the event that follows will confirm). */
export function dropRow(id: string): void {
  const { rows, total, results } = get();
  const index = rows.findIndex((r) => r?.id === id);
  if (index >= 0) {
    const next = rows.slice();
    next.splice(index, 1);
    set({ rows: next, total: total === null ? null : total - 1 });
  }
  if (results) set({ results: results.filter((r) => r.id !== id) });
  scheduleReload();
}

let searchTimer: ReturnType<typeof setTimeout> | null = null;
let searchSeq = 0;

export function setQuery(query: string): void {
  set({ query });
  if (!query.trim()) {
    if (searchTimer) clearTimeout(searchTimer);
    searchSeq++;
    set({ results: null, searching: false });
    return;
  }
  scheduleSearch(SEARCH_DEBOUNCE_MS);
}

function scheduleSearch(delay: number): void {
  if (searchTimer) clearTimeout(searchTimer);
  set({ searching: true });
  searchTimer = setTimeout(() => {
    searchTimer = null;
    void runSearch();
  }, delay);
}

async function runSearch(): Promise<void> {
  const seq = ++searchSeq;
  const { query, filter } = get();
  const status = filter !== 'all' && filter !== 'trash' && filter !== 'waiting' ? filter : undefined;
  try {
    const hits = await core().client.services.stories.search({
      query: query.trim().slice(0, 500),
      limit: SEARCH_LIMIT,
      ...(status ? { status } : {}),
    });
    if (seq !== searchSeq) return;
    const viewer = queueViewer();
    set({ results: hits.filter((h) => h.deletedAt === null && (filter !== 'waiting' || inQueue(h, viewer))), searching: false });
  } catch {
    if (seq !== searchSeq) return;
    set({ results: [], searching: false });
  }
}

const SEARCH_REFRESH_MS = 1_000;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

/** Re-runs the active search shortly, keeping the current hits on screen meanwhile. */
function refreshSearchSoon(): void {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    if (get().query.trim() && !searchTimer) void runSearch();
  }, SEARCH_REFRESH_MS);
}

/** Re-runs the active search (after a reconnect or a change that may affect hits). */
export function refreshSearch(): void {
  if (get().query.trim()) scheduleSearch(0);
}
