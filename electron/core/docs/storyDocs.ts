import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { readMeta } from '../../../shared/doc/storyDoc';
import type { StorySummary } from '../../../shared/domain/story';
import { RpcError } from '../../../shared/rpc/protocol';
import type { StoryRef, StoryRepository } from '../stories/storyRepository';
import { DocLog, type StoredDoc } from './docLog';
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
}

interface LiveDoc {
  ref: StoryRef;
  /** Built on first use (see open); until then `unbuilt` holds the bytes it is built from. */
  doc: Y.Doc | null;
  unbuilt: Uint8Array | null;
  lastSeq: number;
  sinceSnapshot: number;
  /** Clients that opened it and have not closed it; a doc loaded by a push alone has 0. */
  opens: number;
  indexTimer: NodeJS.Timeout | null;
}

/**
 * Story documents: the update log in SQLite, and one in-memory Y.Doc per story in use so a
 * push costs one apply and one insert, not a replay.
 */
export class StoryDocs {
  private readonly live = new Map<string, LiveDoc>();
  private readonly log: DocLog;
  private readonly compactEvery: number;
  private readonly indexDelayMs: number;
  private readonly now: () => number;
  private readonly onStoryChanged: (summary: StorySummary) => void;

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
  }

  /** The whole document as one update. A story never edited gives an empty document. */
  open(storyId: string): Uint8Array {
    const existing = this.live.get(storyId);
    if (existing) {
      existing.opens++;
      return existing.doc ? Y.encodeStateAsUpdate(existing.doc) : existing.unbuilt!;
    }
    const ref = this.stories.refById(storyId);
    if (!ref) throw new RpcError('not_found', `No story ${storyId}`);
    const stored = this.log.load(ref.rowId);
    if (stored.updates.length > 0) {
      const live = this.load(ref, stored);
      live.opens++;
      return Y.encodeStateAsUpdate(this.docOf(live));
    }
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
      opens: 1,
      indexTimer: null,
    };
    this.live.set(storyId, live);
    return state;
  }

  /** Applies and persists one update; when this returns, the update is in SQLite. */
  push(storyId: string, update: Uint8Array): void {
    assertYjsUpdate(update);
    const live = this.acquire(storyId);
    const doc = this.docOf(live);
    try {
      Y.applyUpdate(doc, update, 'core');
    } catch {
      // Parsed but could not be integrated: the in-memory copy may be half-applied, so drop it
      // and rebuild from SQLite next time. Nothing was written.
      this.evict(live);
      throw new RpcError('invalid_input', 'Not a valid Yjs update for this story');
    }
    const seq = live.lastSeq + 1;
    const now = this.now();
    try {
      this.db.transaction(() => {
        this.log.append(live.ref.rowId, seq, update, now);
        this.stories.touch(live.ref.rowId, readMeta(doc).headline, now);
      })();
    } catch (error) {
      this.evict(live);
      throw error;
    }
    live.lastSeq = seq;
    live.sinceSnapshot++;
    if (live.sinceSnapshot >= this.compactEvery) this.compact(live);
    if (live.opens === 0) {
      // Nobody has it open (seeding, a sync, a client that pushes without opening): a one-off
      // change, so index it now and free the memory instead of holding it for the throttle.
      this.writeIndex(live.ref, doc);
      this.emit(live.ref.rowId);
      this.release(live);
      return;
    }
    this.scheduleIndex(live);
    this.emit(live.ref.rowId);
  }

  close(storyId: string): void {
    const live = this.live.get(storyId);
    if (!live) return;
    live.opens = Math.max(0, live.opens - 1);
    if (live.opens === 0) {
      this.flushIndex(live);
      this.release(live);
    }
  }

  /** Writes every pending projection/FTS refresh; call before shutdown. */
  flushAll(): void {
    for (const live of [...this.live.values()]) this.flushIndex(live);
  }

  /** Drops every in-memory document after flushing it. */
  closeAll(): void {
    this.flushAll();
    for (const live of [...this.live.values()]) this.release(live);
  }

  /** Refreshes projections a previous run left stale (killed before its refresh timer fired). */
  refreshStaleIndexes(): number {
    const stale = this.stories.staleRefs();
    for (const ref of stale) {
      const doc = buildDoc(this.log.load(ref.rowId));
      this.writeIndex(ref, doc);
      doc.destroy();
    }
    return stale.length;
  }

  private acquire(storyId: string): LiveDoc {
    const existing = this.live.get(storyId);
    if (existing) return existing;
    const ref = this.stories.refById(storyId);
    if (!ref) throw new RpcError('not_found', `No story ${storyId}`);
    return this.load(ref, this.log.load(ref.rowId));
  }

  /** Builds the story's in-memory document from what SQLite holds and keeps it live. */
  private load(ref: StoryRef, stored: StoredDoc): LiveDoc {
    const live: LiveDoc = {
      ref,
      doc: buildDoc(stored),
      unbuilt: null,
      lastSeq: stored.lastSeq,
      sinceSnapshot: stored.updates.length,
      opens: 0,
      indexTimer: null,
    };
    // A long tail (a crash before compaction, or updates arriving from sync) is folded now,
    // so the next open reads one snapshot.
    if (live.sinceSnapshot >= this.compactEvery) this.compact(live);
    this.live.set(ref.id, live);
    return live;
  }

  /** The story's in-memory Y.Doc, built now if open() deferred it. */
  private docOf(live: LiveDoc): Y.Doc {
    if (live.doc) return live.doc;
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, live.unbuilt!);
    } catch {
      // Stored bytes that do not load: drop this copy so nothing builds on it.
      doc.destroy();
      this.evict(live);
      throw new RpcError('internal', `The stored document of story ${live.ref.id} could not be read`);
    }
    live.doc = doc;
    live.unbuilt = null;
    return doc;
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
      this.writeIndex(live.ref, this.docOf(live));
      this.emit(live.ref.rowId);
    }, this.indexDelayMs);
    live.indexTimer.unref();
  }

  private flushIndex(live: LiveDoc): void {
    if (!live.indexTimer) return;
    clearTimeout(live.indexTimer);
    live.indexTimer = null;
    this.writeIndex(live.ref, this.docOf(live));
    this.emit(live.ref.rowId);
  }

  private writeIndex(ref: StoryRef, doc: Y.Doc): void {
    const p = projectStory(doc);
    this.db.transaction(() => this.stories.writeProjection(ref.rowId, p.headline, p.wordCount, p.bodyText))();
  }

  /**
   * A document leaving memory in good order: its tail is folded into the snapshot first, so
   * the next open hands over the stored bytes as they are (only a crash leaves a tail).
   */
  private release(live: LiveDoc): void {
    if (live.sinceSnapshot > 0) this.compact(live);
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
