import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { readMeta } from '../../../shared/doc/storyDoc';
import type { StorySummary } from '../../../shared/domain/story';
import { RpcError } from '../../../shared/rpc/protocol';
import type { RpcCaller } from '../../../shared/rpc/server';
import type { StoryRef, StoryRepository } from '../stories/storyRepository';
import { DocLog, type StoredDoc } from './docLog';
import { OpenHolders } from './openHolders';
import { projectStory } from './projection';

export interface StoryDocsOptions {
  /** Write a snapshot and trim the log once this many updates follow the last snapshot. */
  compactEvery?: number;
  /**
   * Word count and FTS refresh at most this often per story while it is being edited
   * (re-reading a 20,000-word body on every push would cost more than the push itself).
   * Never lost: a pending refresh is flushed on close and shutdown, and a store killed
   * before that refreshes on its next start (index_stale).
   */
  indexDelayMs?: number;
  now?: () => number;
  /** Called whenever a story's list projection changed. */
  onStoryChanged?: (summary: StorySummary) => void;
  /**
   * Failures off the request path (index timer, folding a document on close or when its
   * client goes away). Nothing is lost: the log is already in SQLite, and an index left
   * stale is refreshed on the next start. Defaults to console.error.
   */
  onInternalError?: (what: string, error: unknown) => void;
  /**
   * A change core did not get from a window (an update from the server, or core's own edit
   * such as setting the byline before the first sync) reached a story that windows hold
   * open: `holders` are the ids of their clients (RpcCaller.id). Core sends each of them
   * `docRemoteUpdate` so their editors apply it.
   */
  onRemoteUpdate?: (event: { storyId: string; update: Uint8Array; holders: string[] }) => void;
}

export interface StaleRefreshResult {
  refreshed: number;
  /** Ids of stories found damaged (their documents do not load): flagged, left as they are. */
  damaged: string[];
  /** Stories whose refresh failed for another reason (reported): still stale, retried next start. */
  failed: number;
}

interface LiveDoc {
  ref: StoryRef;
  /** Built on first use (see open); until then `unbuilt` holds the bytes it is built from. */
  doc: Y.Doc | null;
  unbuilt: Uint8Array | null;
  lastSeq: number;
  sinceSnapshot: number;
  indexTimer: NodeJS.Timeout | null;
}

/**
 * Story documents: the update log in SQLite, and one in-memory Y.Doc per story in use so a
 * push costs one apply and one insert, not a replay.
 *
 * A story is in use while some client holds it open (OpenHolders, per connection); when the
 * last holder closes it or goes away, its log tail is folded into the snapshot and the
 * document leaves memory.
 *
 * A story whose stored document does not load is *damaged*: flagged in SQLite, refused
 * (code 'story_damaged') by open and push, and never written again (no log row, snapshot
 * or index), so its bytes stay for recovery. Every other story works as usual.
 */
export class StoryDocs {
  private readonly live = new Map<string, LiveDoc>();
  private readonly holders = new OpenHolders((storyId) => this.unheld(storyId));
  private readonly log: DocLog;
  private readonly compactEvery: number;
  private readonly indexDelayMs: number;
  private readonly now: () => number;
  private readonly onStoryChanged: (summary: StorySummary) => void;
  private readonly onInternalError: (what: string, error: unknown) => void;
  private readonly onRemoteUpdate: NonNullable<StoryDocsOptions['onRemoteUpdate']>;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly stories: StoryRepository,
    options: StoryDocsOptions = {},
  ) {
    this.log = new DocLog(db);
    this.compactEvery = options.compactEvery ?? 300;
    this.indexDelayMs = options.indexDelayMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.onStoryChanged = options.onStoryChanged ?? (() => {});
    this.onInternalError = options.onInternalError ?? ((what, error) => console.error(`[core] ${what} failed:`, error));
    this.onRemoteUpdate = options.onRemoteUpdate ?? (() => {});
  }

  /**
   * The whole document as one update, and `caller` now holds the story (once, however often
   * it opens it). A story never edited gives an empty document.
   */
  open(storyId: string, caller: RpcCaller): Uint8Array {
    const state = this.currentState(storyId);
    this.holders.hold(storyId, caller);
    return state;
  }

  private currentState(storyId: string): Uint8Array {
    const existing = this.live.get(storyId);
    if (existing) return existing.doc ? Y.encodeStateAsUpdate(existing.doc) : existing.unbuilt!;
    const ref = this.refOf(storyId);
    const stored = this.loadStored(ref);
    if (stored.updates.length > 0) return Y.encodeStateAsUpdate(this.docOf(this.load(ref, stored)));
    // The usual case: the snapshot alone is the document, so its bytes are the answer as
    // they are. Core builds its own Y.Doc (tens of ms for a long story) only when it needs
    // one, at the first push: building it right away would hold the answer back, since the
    // socket write completes on a later turn of the event loop.
    const state = stored.snapshot ?? EMPTY_DOC;
    const live: LiveDoc = {
      ref,
      doc: null,
      unbuilt: state,
      lastSeq: stored.lastSeq,
      sinceSnapshot: 0,
      indexTimer: null,
    };
    this.live.set(storyId, live);
    return state;
  }

  /**
   * Applies and persists one update; when this returns, the update is in SQLite. An update
   * that adds nothing the document lacks (a batch sent again after a lost answer) writes
   * nothing at all: no log row, no new `updated` time, no storyChanged. Returns whether it
   * changed the document.
   */
  push(storyId: string, update: Uint8Array): boolean {
    return this.integrate(storyId, update, 'local');
  }

  /**
   * Applies and persists an update that came from the server, like push, except that it is
   * not a local change (the story does not become dirty: nothing new to send back) and the
   * windows holding the story get it through onRemoteUpdate. Returns whether it changed the
   * document.
   */
  applyRemote(storyId: string, update: Uint8Array): boolean {
    return this.integrate(storyId, update, 'remote');
  }

  /**
   * The story's whole document as one update, read without holding it or disturbing open
   * editors (a story nobody has open is read from SQLite and not kept in memory).
   */
  stateOf(storyId: string): Uint8Array {
    const live = this.live.get(storyId);
    if (live) return live.doc ? Y.encodeStateAsUpdate(live.doc) : live.unbuilt!;
    const stored = this.loadStored(this.refOf(storyId));
    if (stored.updates.length === 0) return stored.snapshot ?? EMPTY_DOC;
    return Y.mergeUpdates(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates);
  }

  /**
   * A local change core itself makes (e.g. naming the penulis before a story's first sync):
   * `edit` runs in one transaction on the story's document; what it changed is persisted
   * as a local change (dirty, like a push) and sent to the windows holding the story.
   * Returns whether anything changed.
   */
  change(storyId: string, edit: (doc: Y.Doc) => void): boolean {
    const live = this.acquire(storyId);
    const doc = this.docOf(live);
    const updates: Uint8Array[] = [];
    const onUpdate = (u: Uint8Array) => updates.push(u);
    doc.on('update', onUpdate);
    try {
      doc.transact(() => edit(doc), 'core');
    } catch (error) {
      this.evict(live);
      throw error;
    } finally {
      doc.off('update', onUpdate);
    }
    if (updates.length === 0) {
      if (!this.holders.isHeld(storyId)) this.evict(live);
      return false;
    }
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    this.persist(live, doc, update, 'core');
    return true;
  }

  private integrate(storyId: string, update: Uint8Array, kind: 'local' | 'remote'): boolean {
    assertYjsUpdate(update);
    const live = this.acquire(storyId);
    const doc = this.docOf(live);
    // Changed = inserted or deleted something: the test Yjs itself makes before emitting
    // 'update' (a delete set, or a client's clock that moved). The state vector alone would
    // miss an update that only deletes; listening to 'update' would re-encode every push.
    let changed = false;
    const onChange = (tr: Y.Transaction) => {
      if (tr.deleteSet.clients.size > 0) changed = true;
      else for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) changed = true;
    };
    const pendingBefore = pendingOf(doc);
    doc.on('afterTransaction', onChange);
    try {
      Y.applyUpdate(doc, update, kind === 'local' ? 'core' : 'remote');
    } catch {
      // Parsed but could not be integrated: the in-memory copy may be half-applied, so drop it
      // and rebuild from SQLite next time. Nothing was written.
      this.evict(live);
      throw new RpcError('invalid_input', 'Not a valid Yjs update for this story');
    } finally {
      doc.off('afterTransaction', onChange);
    }
    // An update waiting for parts the document lacks changes nothing yet, but it must be
    // logged all the same, or it would be lost with the in-memory copy.
    if (!changed && samePending(pendingBefore, pendingOf(doc))) {
      if (!this.holders.isHeld(storyId)) this.evict(live);
      return false;
    }
    this.persist(live, doc, update, kind);
    return true;
  }

  /**
   * Writes an update already applied to the live document. A local one makes the story
   * dirty (the sync engine sends it); anything core did not get from a window (remote, or
   * core's own change) goes out to the windows holding the story.
   */
  private persist(live: LiveDoc, doc: Y.Doc, update: Uint8Array, kind: 'local' | 'remote' | 'core'): void {
    const storyId = live.ref.id;
    const seq = live.lastSeq + 1;
    const now = this.now();
    try {
      this.db.transaction(() => {
        this.log.append(live.ref.rowId, seq, update, now);
        if (kind === 'remote') this.stories.touchRemote(live.ref.rowId, readMeta(doc).headline, now);
        else this.stories.touch(live.ref.rowId, readMeta(doc).headline, now);
      })();
    } catch (error) {
      this.evict(live);
      throw error;
    }
    live.lastSeq = seq;
    live.sinceSnapshot++;
    if (kind !== 'local' && this.holders.isHeld(storyId)) {
      this.guarded('docs.remoteUpdate', () => this.onRemoteUpdate({ storyId, update, holders: this.holders.holdersOf(storyId) }));
    }
    // The update is in SQLite: what follows is housekeeping, and its failure must not tell
    // the client otherwise (the log stays; the next load or start redoes it).
    if (live.sinceSnapshot >= this.compactEvery) this.guarded('docs.compact', () => this.compact(live));
    if (!this.holders.isHeld(storyId)) {
      // Nobody has it open (seeding, a sync, a client that pushes without opening): a one-off
      // change, so index it now and free the memory instead of holding it for the throttle.
      this.guarded('docs.index', () => this.writeIndex(live.ref, doc));
      this.emit(live.ref.rowId);
      this.release(live);
      return;
    }
    this.scheduleIndex(live);
    this.emit(live.ref.rowId);
  }

  /**
   * Replaces the story's document with `state` (the server's, after it refused this profile's
   * edits; those live on in a salinan konflik): snapshot and log are rewritten in one
   * transaction, the in-memory copy is dropped and the projection re-read. Not a local change.
   * A window holding the story keeps its copy until it opens the story again.
   */
  replaceWith(storyId: string, state: Uint8Array): void {
    assertYjsUpdate(state);
    const existing = this.live.get(storyId);
    if (existing) this.evict(existing);
    const ref = this.refOf(storyId);
    const stored = this.loadStored(ref);
    this.log.compact(ref.rowId, state, stored.lastSeq, this.now());
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, state);
      this.writeIndex(ref, doc);
    } finally {
      doc.destroy();
    }
    this.emit(ref.rowId);
  }

  /** Tells the clients the story's list projection changed (e.g. its sync state). */
  announce(storyId: string): void {
    const ref = this.stories.refById(storyId);
    if (ref) this.emit(ref.rowId);
  }

  /**
   * Removes a story from this profile for good (rows, log, snapshot, index) and tells the
   * clients it left (a storyChanged with `deletedAt` set drops it from every list). Only
   * for stories whose every word the server holds, or that hold none: the sync engine uses
   * it for a story the user can no longer see. A story a window holds open is kept (the
   * caller marks it instead); returns whether it was removed.
   */
  forget(storyId: string): boolean {
    if (this.holders.isHeld(storyId)) return false;
    const ref = this.stories.refById(storyId);
    if (!ref) return false;
    const summary = this.stories.summaryByRowId(ref.rowId)!;
    const live = this.live.get(storyId);
    if (live) this.evict(live);
    this.stories.remove(ref.rowId);
    this.onStoryChanged({ ...summary, deletedAt: this.now() });
    return true;
  }

  /** `caller` lets go of the story; a caller that did not hold it changes nothing. */
  close(storyId: string, caller: RpcCaller): void {
    this.holders.release(storyId, caller);
  }

  /** Writes every pending projection/FTS refresh; call before shutdown. */
  flushAll(): void {
    for (const live of [...this.live.values()]) this.flushIndex(live);
  }

  /** Drops every in-memory document after flushing it; nothing is done after this. */
  closeAll(): void {
    this.flushAll();
    for (const live of [...this.live.values()]) this.release(live);
    this.closed = true;
  }

  /**
   * Refreshes projections a previous run left stale (killed before its refresh timer fired),
   * one story at a time: a story whose document does not load is flagged damaged and left
   * as it is; any other failure is reported and leaves that story stale for the next start.
   */
  refreshStaleIndexes(): StaleRefreshResult {
    const result: StaleRefreshResult = { refreshed: 0, damaged: [], failed: 0 };
    for (const ref of this.stories.staleRefs()) {
      let doc: Y.Doc | undefined;
      try {
        doc = this.buildStored(ref, this.loadStored(ref));
        this.writeIndex(ref, doc);
        result.refreshed++;
      } catch (error) {
        if (error instanceof RpcError && error.code === 'story_damaged') {
          result.damaged.push(ref.id);
        } else {
          result.failed++;
          this.onInternalError(`docs.refreshIndex ${ref.id}`, error);
        }
      } finally {
        doc?.destroy();
      }
    }
    return result;
  }

  private acquire(storyId: string): LiveDoc {
    const existing = this.live.get(storyId);
    if (existing) return existing;
    const ref = this.refOf(storyId);
    return this.load(ref, this.loadStored(ref));
  }

  /** A story that exists and is not damaged, or an RpcError saying which it is not. */
  private refOf(storyId: string): StoryRef {
    const ref = this.stories.refById(storyId);
    if (!ref) throw new RpcError('not_found', `No story ${storyId}`);
    if (ref.damaged) throw damagedError(ref);
    return ref;
  }

  /** What SQLite holds for the story; rows SQLite itself reports corrupt make it damaged. */
  private loadStored(ref: StoryRef): StoredDoc {
    try {
      return this.log.load(ref.rowId);
    } catch (error) {
      if (error instanceof Database.SqliteError && /^SQLITE_(CORRUPT|NOTADB)/.test(error.code)) throw this.markDamaged(ref, error);
      throw error;
    }
  }

  /** Builds a document from stored bytes; bytes that do not load make the story damaged. */
  private buildStored(ref: StoryRef, stored: StoredDoc): Y.Doc {
    try {
      return buildDoc(stored);
    } catch (error) {
      throw this.markDamaged(ref, error);
    }
  }

  /** Builds the story's in-memory document from what SQLite holds and keeps it live. */
  private load(ref: StoryRef, stored: StoredDoc): LiveDoc {
    const live: LiveDoc = {
      ref,
      doc: this.buildStored(ref, stored),
      unbuilt: null,
      lastSeq: stored.lastSeq,
      sinceSnapshot: stored.updates.length,
      indexTimer: null,
    };
    this.live.set(ref.id, live);
    // A long tail (a crash before compaction, or updates arriving from sync) is folded now,
    // so the next open reads one snapshot.
    if (live.sinceSnapshot >= this.compactEvery) this.guarded('docs.compact', () => this.compact(live));
    return live;
  }

  /** The story's in-memory Y.Doc, built now if open() deferred it. */
  private docOf(live: LiveDoc): Y.Doc {
    if (live.doc) return live.doc;
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, live.unbuilt!);
    } catch (error) {
      // Stored bytes that do not load: drop this copy so nothing builds on it.
      doc.destroy();
      this.evict(live);
      throw this.markDamaged(live.ref, error);
    }
    live.doc = doc;
    live.unbuilt = null;
    return doc;
  }

  /**
   * Flags the story damaged in SQLite (its document rows are not touched) and tells the
   * clients; returns the error to answer with. If even the flag cannot be written, the
   * story is still refused now and found again on the next load.
   */
  private markDamaged(ref: StoryRef, cause: unknown): RpcError {
    this.onInternalError(`docs.load ${ref.id}: stored document does not load, story flagged damaged`, cause);
    this.guarded('docs.markDamaged', () => {
      this.stories.markDamaged(ref.rowId, cause instanceof Error ? cause.message : String(cause), this.now());
      this.emit(ref.rowId);
    });
    return damagedError(ref);
  }

  private compact(live: LiveDoc): void {
    this.log.compact(live.ref.rowId, Y.encodeStateAsUpdate(this.docOf(live)), live.lastSeq, this.now());
    live.sinceSnapshot = 0;
  }

  private scheduleIndex(live: LiveDoc): void {
    if (live.indexTimer) return;
    live.indexTimer = setTimeout(() => {
      live.indexTimer = null;
      if (this.live.get(live.ref.id) !== live) return;
      // A failure here (I/O) must not take core down: the story stays index_stale, so a
      // later push, its close or the next start refreshes it.
      this.guarded('docs.index', () => {
        this.writeIndex(live.ref, this.docOf(live));
        this.emit(live.ref.rowId);
      });
    }, this.indexDelayMs);
    live.indexTimer.unref();
  }

  private flushIndex(live: LiveDoc): void {
    if (!live.indexTimer) return;
    clearTimeout(live.indexTimer);
    live.indexTimer = null;
    this.guarded('docs.index', () => {
      this.writeIndex(live.ref, this.docOf(live));
      this.emit(live.ref.rowId);
    });
  }

  /** The last holder let go (closed it, or its connection went away). */
  private unheld(storyId: string): void {
    if (this.closed) return;
    const live = this.live.get(storyId);
    if (!live) return;
    this.flushIndex(live);
    this.release(live);
  }

  private guarded(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.onInternalError(what, error);
    }
  }

  private writeIndex(ref: StoryRef, doc: Y.Doc): void {
    const p = projectStory(doc);
    this.db.transaction(() => this.stories.writeProjection(ref.rowId, p))();
  }

  /**
   * A document leaving memory in good order: its tail is folded into the snapshot first, so
   * the next open hands over the stored bytes as they are (only a crash leaves a tail).
   */
  private release(live: LiveDoc): void {
    if (live.sinceSnapshot > 0) this.guarded('docs.compact', () => this.compact(live));
    this.evict(live);
  }

  private evict(live: LiveDoc): void {
    if (live.indexTimer) clearTimeout(live.indexTimer);
    live.indexTimer = null;
    if (this.live.get(live.ref.id) === live) this.live.delete(live.ref.id);
    live.doc?.destroy();
    live.doc = null;
    live.unbuilt = null;
  }

  private emit(rowId: number): void {
    const summary = this.stories.summaryByRowId(rowId);
    if (summary) this.onStoryChanged(summary);
  }
}

const EMPTY_DOC = Y.encodeStateAsUpdate(new Y.Doc());

function damagedError(ref: StoryRef): RpcError {
  return new RpcError('story_damaged', `The stored document of story ${ref.id} does not load; it is kept as it is for recovery`);
}

/** What a document holds back for lack of earlier updates (structs and deletes), as bytes. */
function pendingOf(doc: Y.Doc): [Uint8Array | null, Uint8Array | null] {
  return [doc.store.pendingStructs?.update ?? null, doc.store.pendingDs ?? null];
}

function samePending(a: [Uint8Array | null, Uint8Array | null], b: [Uint8Array | null, Uint8Array | null]): boolean {
  const same = (x: Uint8Array | null, y: Uint8Array | null) => x === y || (x !== null && y !== null && Buffer.from(x).equals(y));
  return same(a[0], b[0]) && same(a[1], b[1]);
}

function buildDoc(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
  });
  return doc;
}

/**
 * Rejects bytes that do not parse as a Yjs update before anything touches a document or
 * the store. (Parsing reads every struct and the delete set; garbage runs off the end.)
 */
function assertYjsUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch {
    throw new RpcError('invalid_input', 'Not a valid Yjs update');
  }
}
