import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../../shared/doc/storyDoc';
import type { SyncProblem, SyncStatus } from '../../../shared/domain/newsroom';
import { MAX_STORIES_PER_SYNC, type ChangesResponse, type SyncRequest, type SyncResponse, type SyncStoryResult } from '../../../shared/server-api/sync';
import type { StoryDocs } from '../docs/storyDocs';
import type { StoryRepository } from '../stories/storyRepository';
import type { WorkflowSyncHooks } from '../workflow/workflowSync';
import { copyStoryDoc } from './copyStory';
import { callServer, ServerCallError, type FetchLike } from './serverHttp';
import type { ServerSession, SessionSource } from './session';

export interface SyncTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncEngineOptions {
  db: Database.Database;
  stories: StoryRepository;
  docs: StoryDocs;
  sessions: SessionSource;
  /** Stories per POST /sync (the server takes at most 100). */
  batchSize?: number;
  /**
   * A request carries stories up to about this many bytes of Yjs data (default 4 MiB; the
   * server takes 16 MiB a body). A story bigger than that goes alone.
   */
  maxBatchBytes?: number;
  /** Longest wait for one request's whole answer before it counts as a stall (default 60 s). */
  requestTimeoutMs?: number;
  /** First retry delay after a failure; doubles per failure up to maxBackoffMs (defaults 1 s, 60 s). */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** Between syncs while online and nothing else asks for one (polling; default 30 s). */
  pollIntervalMs?: number;
  /** Quiet time after a local edit before it is pushed (default 1 s). */
  pushDelayMs?: number;
  /**
   * Stories the server refused are asked about again (state vector only) at least this often
   * (default 30 min), besides at every start, login and directory change: access may have
   * come back (the story moved back, a rubrik was given).
   */
  refusedRetryMs?: number;
  now?: () => number;
  /** In [0, 1): the jitter of backoff and polling delays. */
  random?: () => number;
  timers?: SyncTimers;
  fetch?: FetchLike;
  onStatus?: (status: SyncStatus) => void;
  /** Parts of the status others keep (the photo uploader's totals), merged into every status. */
  extraStatus?: () => Pick<SyncStatus, 'photosPending' | 'photoBytesPending'>;
  /** An exchange completed (text first: the photo uploader starts after it). */
  onExchangeComplete?: () => void;
  /** `/changes` reported a directory version other than the last one seen (the account side refetches). */
  onDirectoryVersion?: (version: number) => void;
  onInternalError?: (what: string, error: unknown) => void;
  /** The review workflow's part of each exchange (electron/core/workflow/workflowSync.ts). */
  workflow?: WorkflowSyncHooks;
}

export interface SyncEngine {
  status(): SyncStatus;
  /** Starts an exchange at once (ends a backoff or poll wait); a running one is followed by another. */
  notify(): void;
  /**
   * The server said story change `changeSeq` happened (a `changed` notification): like
   * notify(), unless this engine already has that change: its own push caused it, or the
   * feed cursor is past it. A hint that arrives while an exchange runs (the notification
   * of a push often comes before the push's answer) is weighed once that exchange is done.
   */
  serverChanged(changeSeq: number): void;
  /** Runs an exchange and resolves when one that started after this call has finished. */
  syncNow(): Promise<SyncStatus>;
  /** A story changed locally (wire StoryDocs' onStoryChanged here): recounts pending, pushes soon. */
  noteLocalChange(): void;
  /** Something in extraStatus changed: publishes the status again. */
  extraStatusChanged(): void;
  /**
   * Stops timers and listeners and aborts the request under way. From the moment this is
   * called the engine touches the store no more, so core may close it right after (the
   * promise only says the exchange has wound down).
   */
  stop(): Promise<void>;
}

interface OutgoingStory {
  rowId: number;
  id: string;
  localRev: number;
  /** State vector of what was sent: covered by the server's answer → nothing left to send. */
  sentStateVector: Uint8Array;
}

interface FeedPage {
  stories: Array<{ id: string; changeSeq: number }>;
  /** Saved once every story of this page (and of the pages before it) is in the local store. */
  cursor: number;
}

interface Feed {
  pages: FeedPage[];
  /** The server's access epoch for the account (null: an older server that sends none). */
  accessEpoch: number | null;
  /**
   * Set when the epoch differs from the saved one: the pages list everything from 0, and
   * `oldCursor` is where the account's feed stood (what it already has up to).
   */
  relisted: { oldCursor: number } | null;
}

interface StoryRowForSync {
  row_id: number;
  id: string;
  acked_sv: Buffer | null;
  local_rev: number;
  dirty: number;
  sync_refused: string | null;
  conflict_of: string | null;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

const DEFAULT_TIMERS: SyncTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The rejected session: the engine waits for the session source to offer another one. */
class SessionRejected extends Error {}

/** stop() was called: whatever the server answers is left alone (the store may be closing). */
class Stopped extends Error {}

/**
 * The sync engine (DESIGN §5, issue 7): the changes feed first, then batches of POST /sync
 * holding both the stories it lists (state vector only) and per locally changed story a Yjs
 * diff against the server's last acknowledged state vector (kept in SQLite). Everything the server sends is applied and persisted first; the
 * acknowledged state vector, `dirty` and the cursor are written only after the server has
 * answered, so a crash at any point loses nothing and resends at most one batch (Yjs
 * updates are idempotent).
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, stories, docs, sessions } = options;
  const batchSize = Math.min(options.batchSize ?? MAX_STORIES_PER_SYNC, MAX_STORIES_PER_SYNC);
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const maxBatchBytes = options.maxBatchBytes ?? 4 * 1024 * 1024;
  const backoffBaseMs = options.backoffBaseMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const pollIntervalMs = options.pollIntervalMs ?? 30_000;
  const pushDelayMs = options.pushDelayMs ?? 1_000;
  const refusedRetryMs = options.refusedRetryMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const timers = options.timers ?? DEFAULT_TIMERS;
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const onStatus = options.onStatus ?? (() => {});
  const extraStatus = options.extraStatus ?? (() => ({}));
  const onExchangeComplete = options.onExchangeComplete ?? (() => {});
  const onDirectoryVersion = options.onDirectoryVersion ?? (() => {});
  const onInternalError = options.onInternalError ?? ((what, error) => console.error(`[core] ${what} failed:`, error));

  const stmts = {
    // A salinan konflik is pushed like any story of the user's (a new id the server creates as
    // theirs); only `conflict_of`, kept locally, tells the list what it is.
    pending: db.prepare('SELECT COUNT(*) FROM stories WHERE dirty = 1 AND sync_refused IS NULL AND damaged_at IS NULL').pluck(),
    unclaimed: db.prepare(
      `SELECT id, local_rev FROM stories
        WHERE dirty = 1 AND acked_sv IS NULL AND sync_refused IS NULL AND damaged_at IS NULL`,
    ),
    localRev: db.prepare('SELECT local_rev FROM stories WHERE id = ?').pluck(),
    dirtyAfter: db.prepare(
      `SELECT row_id, id, acked_sv, local_rev, dirty, sync_refused, conflict_of FROM stories
        WHERE dirty = 1 AND sync_refused IS NULL AND damaged_at IS NULL AND row_id > ?
        ORDER BY row_id LIMIT ?`,
    ),
    refusedIds: db.prepare('SELECT id FROM stories WHERE sync_refused IS NOT NULL AND conflict_of IS NULL AND damaged_at IS NULL ORDER BY row_id').pluck(),
    byId: db.prepare('SELECT row_id, id, acked_sv, local_rev, dirty, sync_refused, conflict_of FROM stories WHERE id = ?'),
    acked: db.prepare('UPDATE stories SET acked_sv = ? WHERE row_id = ?'),
    clean: db.prepare('UPDATE stories SET dirty = 0 WHERE row_id = ? AND local_rev = ?'),
    refuse: db.prepare('UPDATE stories SET sync_refused = ? WHERE row_id = ?'),
    unrefuse: db.prepare('UPDATE stories SET sync_refused = NULL WHERE row_id = ?'),
    markConflict: db.prepare('UPDATE stories SET conflict_of = ? WHERE row_id = ?'),
    ackedServer: db.prepare('SELECT server_url FROM sync_server WHERE id = 1').pluck(),
    setAckedServer: db.prepare('INSERT INTO sync_server (id, server_url) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url'),
    forgetAcked: db.prepare('UPDATE stories SET acked_sv = NULL, dirty = 1 WHERE acked_sv IS NOT NULL'),
    cursor: db.prepare('SELECT cursor, access_epoch FROM sync_cursor WHERE server_url = ? AND user_id = ?'),
    saveCursor: db.prepare(
      `INSERT INTO sync_cursor (server_url, user_id, cursor, access_epoch) VALUES (?, ?, ?, ?)
       ON CONFLICT (server_url, user_id) DO UPDATE SET cursor = excluded.cursor, access_epoch = excluded.access_epoch`,
    ),
    // Stories the server has acknowledged and that are plain stories of the server's (not a
    // refused one, not a copy still to be created there): what a full listing must include.
    ackedIds: db.prepare('SELECT id FROM stories WHERE acked_sv IS NOT NULL AND sync_refused IS NULL AND damaged_at IS NULL').pluck(),
    ackedById: db.prepare('SELECT acked_sv IS NOT NULL AND sync_refused IS NULL FROM stories WHERE id = ?').pluck(),
  };

  let state: SyncStatus['state'] = 'offline';
  let problem: SyncProblem | null = sessions.current() ? null : 'not_logged_in';
  let lastSyncedAt: number | null = null;
  let lastPending = -1;
  let lastDirectoryVersion: number | null = null;
  let failures = 0;
  /** The session the server refused: nothing is sent until the source offers another. */
  let rejected: ServerSession | null = null;
  let stopped = false;
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  /** True from the moment an exchange is started (running is set only after loop() first yields). */
  let busy = false;
  let again = false;
  /** A local change was noted while an exchange ran: it may have missed it, so push soon after. */
  let changedDuring = false;
  let timer: unknown = null;
  let timerKind: 'poll' | 'backoff' | 'push' | null = null;
  let waiters: Array<() => void> = [];
  /** Ask again about refused stories in the next exchange (see refusedRetryMs); the first exchange of a run does. */
  let retryRefused = true;
  let lastRefusedRetryAt = 0;
  /**
   * Never-acknowledged stories whose byline was found set, with their local_rev then: only a
   * local edit can empty it again (nothing comes from the server for them), so an exchange
   * retried while offline does not decode them again.
   */
  const bylineSetAt = new Map<string, number>();
  /**
   * Change numbers this engine has whole: the answers to its own pushes carry them (the
   * answer holds everything the server had at that number). Only those above the saved
   * cursor are kept; the cursor covers the rest.
   */
  const ownChanges = new Set<number>();
  /** Change numbers the server announced while an exchange ran: weighed when it ends. */
  let heardDuring: number[] = [];
  /** The saved feed cursor of the session last synced (notifications say nothing about others). */
  let knownCursor = 0;

  const countPending = () => stmts.pending.get() as number;
  // After stop() the store may be closed: answer with the last count seen.
  const status = (): SyncStatus => ({
    state,
    pending: stopped ? Math.max(lastPending, 0) : countPending(),
    lastSyncedAt,
    problem,
    ...(stopped ? {} : extraStatus()),
  });

  function publish(): void {
    if (stopped) return;
    const s = status();
    lastPending = s.pending;
    onStatus(s);
  }

  function setState(next: SyncStatus['state'], nextProblem: SyncProblem | null): void {
    const changed = next !== state || nextProblem !== problem;
    state = next;
    problem = nextProblem;
    if (changed) publish();
  }

  function usableSession(): ServerSession | null {
    const session = sessions.current();
    if (!session) return null;
    if (rejected && rejected.token === session.token && rejected.serverUrl === session.serverUrl) return null;
    return session;
  }

  function schedule(kind: 'poll' | 'backoff' | 'push', ms: number): void {
    if (stopped) return;
    // A sooner push never waits behind a poll; a backoff is not cut short by local typing, and
    // a push already due is not put off by more typing (at most pushDelayMs after the first edit).
    if (timer !== null) {
      if (kind === 'push' && (timerKind === 'backoff' || timerKind === 'push')) return;
      timers.clearTimeout(timer);
    }
    timerKind = kind;
    timer = timers.setTimeout(() => {
      timer = null;
      timerKind = null;
      kick();
    }, ms);
  }

  function cancelTimer(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    timerKind = null;
  }

  /** Backoff with jitter: between half and all of base·2^(failures-1), capped. */
  function backoffDelay(): number {
    const ceiling = Math.min(maxBackoffMs, backoffBaseMs * 2 ** Math.min(failures - 1, 30));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  function kick(): void {
    if (stopped) return;
    cancelTimer();
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    running = loop();
  }

  /**
   * Exchanges until nobody asked for another. `busy` is cleared in the same synchronous step
   * that last read `again`, so a kick from a waiter's continuation always starts a new loop.
   */
  async function loop(): Promise<void> {
    try {
      do {
        again = false;
        changedDuring = false;
        const mine = waiters;
        waiters = [];
        try {
          await exchange();
        } catch (error) {
          onInternalError('sync', error);
        } finally {
          const heard = heardDuring;
          heardDuring = [];
          if (heard.some((seq) => !hasChange(seq))) again = true;
          for (const w of mine) w();
        }
      } while (again && !stopped);
    } finally {
      busy = false;
      running = null;
    }
  }

  /** One exchange: read what changed on the server, then exchange it and every local change in one pass. */
  async function exchange(): Promise<void> {
    const session = usableSession();
    if (!session) {
      setState(sessions.current() ? 'error' : 'offline', sessions.current() ? 'session_expired' : 'not_logged_in');
      return;
    }
    setState('syncing', problem);
    try {
      adoptServer(session.serverUrl);
      // Local and first, so a story written offline shows its penulis before the server answers.
      claimBylines(session);
      // Two round trips: the feed, then one pass of POST /sync for what it listed and what
      // changed here (a push before the feed would be listed by it and asked about again).
      await syncAll(session, await readFeed(session));
      // Commands and comments go once the text they are about is on the server.
      await options.workflow?.afterPass((request) => call(session, request));
      failures = 0;
      lastSyncedAt = now();
      setState('online', null);
      publish();
      if (changedDuring && countPending() > 0) schedule('push', pushDelayMs);
      else schedule('poll', Math.round(pollIntervalMs * (0.8 + random() * 0.4)));
      try {
        onExchangeComplete();
      } catch (error) {
        onInternalError('sync.onExchangeComplete', error);
      }
    } catch (error) {
      if (stopped) return;
      if (error instanceof SessionRejected) {
        setState('error', 'session_expired');
        return;
      }
      failures++;
      if (error instanceof ServerCallError && error.kind === 'unreachable') setState('offline', 'server_unreachable');
      else {
        if (!(error instanceof ServerCallError)) onInternalError('sync', error);
        setState('error', 'server_error');
      }
      schedule('backoff', backoffDelay());
    }
  }

  async function call<T>(session: ServerSession, request: { method: 'GET' | 'POST'; path: string; body?: unknown }): Promise<T> {
    try {
      const answer = await callServer<T>(fetchImpl, session, request, requestTimeoutMs, stopping.signal);
      if (stopped) throw new Stopped();
      return answer;
    } catch (error) {
      if (stopped) throw new Stopped();
      if (error instanceof ServerCallError && error.kind === 'rejected') {
        rejected = session;
        sessions.reportRejected(session);
        throw new SessionRejected();
      }
      throw error;
    }
  }

  /**
   * Acknowledged state vectors hold for the server that gave them: syncing with another
   * server starts over (every story is sent in full, so that server lacks nothing).
   */
  function adoptServer(serverUrl: string): void {
    const known = stmts.ackedServer.get() as string | undefined;
    if (known === serverUrl) return;
    db.transaction(() => {
      if (known !== undefined) stmts.forgetAcked.run();
      stmts.setAckedServer.run(serverUrl);
    })();
  }

  /**
   * The changes feed from the saved cursor, every page (`more`), before anything is sent: what
   * it lists then goes out in the same requests as the local changes. Nothing is saved here;
   * the cursor of a page is saved once its stories are in the local store (syncAll).
   */
  async function readFeed(session: ServerSession): Promise<Feed> {
    const saved = stmts.cursor.get(session.serverUrl, session.user.id) as { cursor: number; access_epoch: number | null } | undefined;
    const savedCursor = saved?.cursor ?? 0;
    let cursor = savedCursor;
    setKnownCursor(cursor);
    let pages: FeedPage[] = [];
    let accessEpoch: number | null = null;
    let relisted: Feed['relisted'] = null;
    for (;;) {
      if (stopped) throw new Stopped();
      const page = await call<ChangesResponse>(session, { method: 'GET', path: `changes?since=${cursor}&limit=500` });
      if (page.directoryVersion !== lastDirectoryVersion) {
        // Assignments or the rubrik tree changed: a refused story may be ours to see again.
        if (lastDirectoryVersion !== null) retryRefused = true;
        lastDirectoryVersion = page.directoryVersion;
        try {
          onDirectoryVersion(page.directoryVersion);
        } catch (error) {
          onInternalError('sync.onDirectoryVersion', error);
        }
      }
      if (typeof page.accessEpoch === 'number') {
        if (accessEpoch === null && savedCursor > 0 && page.accessEpoch !== saved?.access_epoch) {
          // What the account may see changed (see GET /changes `accessEpoch`): stories it
          // may now see have change numbers below its cursor, so list everything from 0.
          accessEpoch = page.accessEpoch;
          relisted = { oldCursor: savedCursor };
          pages = [];
          cursor = 0;
          continue;
        }
        accessEpoch = page.accessEpoch;
      }
      cursor = page.cursor;
      pages.push({ stories: page.stories.map((s) => ({ id: s.id, changeSeq: s.changeSeq })), cursor });
      options.workflow?.onFeed(page.stories);
      if (!page.more) return { pages, accessEpoch, relisted };
    }
  }

  /**
   * One pass of POST /sync, at most batchSize stories a request: first every locally changed
   * story (with its diff: a reporter's words reach the server before a long pull), then the
   * stories the feed listed, in feed order (state vector only unless changed here too; a
   * story already sent in this pass is not sent again). A feed page's cursor is saved only
   * once the requests holding all its stories are answered and applied, so a crash re-reads
   * the feed from before them.
   */
  async function syncAll(session: ServerSession, feed: Feed): Promise<void> {
    const { pages, relisted } = feed;
    const listed: string[] = [];
    const unique = new Set<string>();
    /** For each page: how many entries of `listed` must be answered before its cursor holds. */
    const pageEnds: Array<{ end: number; cursor: number }> = [];
    for (const page of pages) {
      for (const { id, changeSeq } of page.stories) {
        // Listed for a change this engine pushed itself: its answer brought all there was.
        if (ownChanges.has(changeSeq)) continue;
        // A full listing: a story held as acknowledged that has not changed since the old
        // cursor is here already, whole.
        if (relisted && changeSeq <= relisted.oldCursor && stmts.ackedById.get(id) === 1) continue;
        if (unique.has(id)) continue;
        unique.add(id);
        listed.push(id);
      }
      // A full listing is saved only once complete (with its epoch): half of one proves nothing.
      if (relisted) pageEnds.length = 0;
      pageEnds.push({ end: listed.length, cursor: page.cursor });
    }
    if (relisted) lostFromSight(new Set(pages.flatMap((p) => p.stories.map((s) => s.id))));
    if (retryRefused || now() - lastRefusedRetryAt >= refusedRetryMs) {
      // State vector only (prepare sends no update for a refused story): nothing local is
      // at stake, and an answer of ok means access is back (see receive).
      retryRefused = false;
      lastRefusedRetryAt = now();
      for (const id of stmts.refusedIds.all() as string[]) {
        if (unique.has(id)) continue;
        unique.add(id);
        listed.push(id);
      }
    }
    const sent = new Set<string>();
    let nextListed = 0;
    let savedPages = 0;
    let dirtyAfterRowId = 0;
    let dirtyDone = false;
    const saveCursors = () => {
      let cursor: number | null = null;
      while (savedPages < pageEnds.length && pageEnds[savedPages]!.end <= nextListed) cursor = pageEnds[savedPages++]!.cursor;
      if (cursor !== null) {
        stmts.saveCursor.run(session.serverUrl, session.user.id, cursor, feed.accessEpoch);
        setKnownCursor(cursor);
      }
    };
    for (;;) {
      if (stopped) throw new Stopped();
      const rows: StoryRowForSync[] = [];
      if (!dirtyDone) {
        rows.push(...(stmts.dirtyAfter.all(dirtyAfterRowId, batchSize) as StoryRowForSync[]));
        if (rows.length < batchSize) dirtyDone = true;
        if (rows.length > 0) dirtyAfterRowId = rows[rows.length - 1]!.row_id;
        for (const row of rows) sent.add(row.id);
      }
      while (rows.length < batchSize && nextListed < listed.length) {
        const id = listed[nextListed++]!;
        if (sent.has(id)) continue;
        sent.add(id);
        rows.push(localRowFor(id));
      }
      if (rows.length > 0) await syncBatch(session, rows);
      if (stopped) throw new Stopped();
      saveCursors(); // also the pages that listed nothing new
      if (dirtyDone && nextListed >= listed.length) return;
    }
  }

  /**
   * After a full listing: an acknowledged story it does not hold is one the account can no
   * longer see. Treated like a refusal (see refused): unsynced words become a salinan
   * konflik, an untouched story leaves the profile (or is marked, if a window has it open).
   */
  function lostFromSight(listedIds: ReadonlySet<string>): void {
    for (const id of stmts.ackedIds.all() as string[]) {
      if (listedIds.has(id)) continue;
      const row = stmts.byId.get(id) as StoryRowForSync;
      // Asked about in this exchange anyway (dirty): the server's answer decides.
      if (row.dirty === 1 && row.conflict_of === null) continue;
      try {
        refused({ rowId: row.row_id, id, localRev: row.local_rev, sentStateVector: new Uint8Array() }, 'forbidden');
      } catch (error) {
        onInternalError(`sync.lostFromSight ${id}`, error);
      }
    }
  }

  /** The local row of a story the server listed; a story new to this profile gets one with the server's id. */
  function localRowFor(id: string): StoryRowForSync {
    const existing = stmts.byId.get(id) as StoryRowForSync | undefined;
    if (existing) return existing;
    stories.insert(id, now());
    return stmts.byId.get(id) as StoryRowForSync;
  }

  /** One POST /sync for these stories: what each lacks on the server, and whatever the server has for it. */
  async function syncBatch(session: ServerSession, rows: StoryRowForSync[]): Promise<void> {
    const outgoing: OutgoingStory[] = [];
    const items: SyncRequest['stories'] = [];
    for (const row of rows) {
      try {
        const prepared = prepare(session, row);
        if (!prepared) continue;
        outgoing.push(prepared.story);
        items.push(prepared.item);
      } catch (error) {
        // A damaged story (flagged by StoryDocs) or a bug: that story waits, the others go.
        onInternalError(`sync.prepare ${row.id}`, error);
      }
    }
    // Sent in requests of at most maxBatchBytes each, one after the other: each is recorded
    // as soon as it is answered, so a crash resends at most the one in flight.
    let start = 0;
    while (start < items.length) {
      let end = start;
      let bytes = 0;
      while (end < items.length && (end === start || bytes + itemBytes(items[end]!) <= maxBatchBytes)) bytes += itemBytes(items[end++]!);
      await sendBatch(session, outgoing.slice(start, end), items.slice(start, end));
      start = end;
    }
    if (countPending() !== lastPending) publish();
  }

  async function sendBatch(session: ServerSession, outgoing: OutgoingStory[], items: SyncRequest['stories']): Promise<void> {
    const answer = await call<SyncResponse>(session, { method: 'POST', path: 'sync', body: { stories: items } satisfies SyncRequest });
    const byId = new Map(answer.stories.map((r) => [r.id, r]));
    for (const story of outgoing) {
      const result = byId.get(story.id);
      if (!result) continue; // not answered: still dirty, sent again next time
      try {
        receive(story, result);
      } catch (error) {
        onInternalError(`sync.receive ${story.id}`, error);
      }
    }
  }

  function prepare(session: ServerSession, row: StoryRowForSync): { story: OutgoingStory; item: SyncRequest['stories'][number] } | null {
    const firstPush = row.acked_sv === null;
    const pushing = row.dirty === 1 && row.sync_refused === null;
    if (firstPush && pushing && bylineSetAt.get(row.id) !== row.local_rev) claimByline(session, row.id);
    // Read after claimByline: its change is part of what goes out.
    const current = stmts.byId.get(row.id) as StoryRowForSync;
    const state = docs.stateOf(row.id);
    const stateVector = Y.encodeStateVectorFromUpdate(state);
    const update = !pushing ? null : firstPush ? state : Y.diffUpdate(state, new Uint8Array(current.acked_sv!));
    return {
      story: { rowId: row.row_id, id: row.id, localRev: current.local_rev, sentStateVector: stateVector },
      item: { id: row.id, stateVector: b64(stateVector), ...(update ? { update: b64(update) } : {}) },
    };
  }

  function claimBylines(session: ServerSession): void {
    const unclaimed = stmts.unclaimed.all() as Array<{ id: string; local_rev: number }>;
    if (bylineSetAt.size > unclaimed.length) {
      // Acknowledged or gone since: forget them.
      const still = new Set(unclaimed.map((u) => u.id));
      for (const id of bylineSetAt.keys()) if (!still.has(id)) bylineSetAt.delete(id);
    }
    for (const { id, local_rev } of unclaimed) {
      if (bylineSetAt.get(id) === local_rev) continue;
      try {
        claimByline(session, id);
        bylineSetAt.set(id, stmts.localRev.get(id) as number);
      } catch (error) {
        onInternalError(`sync.claimByline ${id}`, error);
      }
    }
  }

  /** "Stories written before the first login belong to whoever logs in first": an empty byline gets the session's user. */
  function claimByline(session: ServerSession, storyId: string): void {
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, docs.stateOf(storyId));
      if (readMeta(doc).penulisIds.length > 0) return;
    } finally {
      doc.destroy();
    }
    docs.change(storyId, (live) => {
      if (readMeta(live).penulisIds.length === 0) getMetaMap(live).set('penulisIds', [session.user.id]);
    });
  }

  function receive(story: OutgoingStory, result: SyncStoryResult): void {
    if (!result.ok) {
      if (result.error.code === 'invalid_update') {
        onInternalError(`sync ${story.id}`, new Error(`the server could not read the update: ${result.error.message}`));
        return;
      }
      refused(story, result.error.code);
      return;
    }
    const serverStateVector = fromB64(result.stateVector);
    const row = stmts.byId.get(story.id) as StoryRowForSync | undefined;
    if (row?.sync_refused != null) {
      // Asked again and answered: access is back. Its local edits (kept all along) go out
      // in the next pass of this exchange, as a diff against what the server now has.
      stmts.unrefuse.run(story.rowId);
      if (row.dirty === 1) again = true;
    }
    // The server's changes go into the store first; only then is its state recorded. (An
    // empty update, the usual answer to a push, is not worth loading the story for.)
    const update = fromB64(result.update);
    if (!isEmptyUpdate(update)) docs.applyRemote(story.id, update);
    db.transaction(() => {
      stmts.acked.run(serverStateVector, story.rowId);
      if (covers(serverStateVector, story.sentStateVector)) stmts.clean.run(story.rowId, story.localRev);
    })();
    if (typeof result.changeSeq === 'number' && result.changeSeq > knownCursor) ownChanges.add(result.changeSeq);
    // The list shows the new sync state.
    docs.announce(story.id);
  }

  function setKnownCursor(cursor: number): void {
    knownCursor = cursor;
    for (const seq of ownChanges) if (seq <= cursor) ownChanges.delete(seq);
  }

  function hasChange(seq: number): boolean {
    return seq <= knownCursor || ownChanges.has(seq);
  }

  /**
   * The server will not take this story (not the user's any more, or gone): its local edits
   * become a salinan konflik the user owns, and the original is no longer pushed.
   */
  function refused(story: OutgoingStory, code: 'forbidden' | 'not_found' | 'read_only'): void {
    const row = stmts.byId.get(story.id) as StoryRowForSync | undefined;
    if (!row) return;
    // Asked again and still refused: its copy exists already and its words stay where they are.
    if (row.sync_refused !== null) return;
    if (row.conflict_of !== null) {
      // A copy is the user's own new story, so this should not happen; never a copy of a copy.
      stmts.refuse.run(code, story.rowId);
      docs.announce(story.id);
      return;
    }
    if (row.dirty !== 1) {
      // Nothing of ours the server lacks: the user just cannot see it (any more). A row the
      // feed created a moment ago and the server then refused holds nothing at all. Either
      // way it leaves the list; a window that has it open keeps it, marked as refused.
      if (!docs.forget(story.id)) {
        stmts.refuse.run(code, story.rowId);
        docs.announce(story.id);
      }
      return;
    }
    const source = new Y.Doc();
    let copy: Y.Doc | null = null;
    try {
      Y.applyUpdate(source, docs.stateOf(story.id));
      if (source.store.clients.size === 0) {
        // An empty document has nothing to create a story from and nothing to lose.
        stmts.clean.run(story.rowId, row.local_rev);
        return;
      }
      copy = copyStoryDoc(source);
      const copyState = Y.encodeStateAsUpdate(copy);
      db.transaction(() => {
        const summary = stories.insert(randomUUID(), now());
        const ref = stories.refById(summary.id)!;
        stmts.markConflict.run(story.id, ref.rowId);
        docs.push(summary.id, copyState);
        stmts.refuse.run(code, story.rowId);
      })();
      docs.announce(story.id);
      // The copy is the user's own new story: it goes out in another pass of this exchange.
      again = true;
    } finally {
      source.destroy();
      copy?.destroy();
    }
  }

  const offSession = sessions.onChange((session) => {
    failures = 0;
    if (!session) {
      cancelTimer();
      setState('offline', 'not_logged_in');
      return;
    }
    if (rejected && rejected.token !== session.token) rejected = null;
    retryRefused = true;
    // What this engine knew holds for the session it synced with; the next feed reads the cursor again.
    knownCursor = 0;
    ownChanges.clear();
    kick();
  });

  if (usableSession()) kick();

  return {
    status,
    notify: kick,
    serverChanged(changeSeq) {
      if (stopped) return;
      if (busy) heardDuring.push(changeSeq);
      else if (!hasChange(changeSeq)) kick();
    },
    syncNow() {
      if (stopped || !usableSession()) return Promise.resolve(status());
      return new Promise((resolve) => {
        waiters.push(() => resolve(status()));
        kick();
      });
    },
    noteLocalChange() {
      const pending = countPending();
      if (pending !== lastPending) publish();
      if (busy) changedDuring = true;
      else if (pending > 0 && usableSession()) schedule('push', pushDelayMs);
    },
    extraStatusChanged: publish,
    async stop() {
      stopped = true;
      stopping.abort();
      cancelTimer();
      offSession();
      await running;
      for (const w of waiters.splice(0)) w();
    },
  };
}

function itemBytes(item: SyncRequest['stories'][number]): number {
  return (item.update?.length ?? 0) + item.stateVector.length + item.id.length;
}

const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === EMPTY_UPDATE.length && update.every((b, i) => b === EMPTY_UPDATE[i]);
}

/** Whether state vector `outer` has every clock `inner` has (the server holds everything sent). */
export function covers(outer: Uint8Array, inner: Uint8Array): boolean {
  const have = Y.decodeStateVector(outer);
  for (const [client, clock] of Y.decodeStateVector(inner)) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}
