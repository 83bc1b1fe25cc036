import * as Y from 'yjs';
import type { SyncStoryResult } from '../../shared/server-api/sync';
import type { Database } from '../db/database';
import { publishChange } from '../notify/changeEvents';
import { bumpAccessEpochOnMove, mayLoseSight } from './accessEpoch';
import { NEXT_CHANGE_SEQ } from './changeOrder';
import { canAccessStory, type Viewer } from './permissions';
import { projectStory, type StoryProjection } from './projection';
import { STORY_FACTS_COLUMNS, type StoryFactsRow } from './storyRow';
import { answerFromStored, bytes, caughtUpAnswer, docFromLog, loadServerDoc, newServerDoc, storeDoc, storedDocument, type StoredDocument, type StoredDocumentColumns } from './storyState';

interface StoryRow extends StoredDocumentColumns, StoryFactsRow {
  change_seq: string | number;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/**
 * Applies `update`; true when the document changed: new content or deletions, or new
 * parts that wait for their dependencies (kept pending, so they must be stored too). A
 * replay of parts already pending (an update that arrived before the one it builds on,
 * sent again) changes nothing and is not stored twice.
 */
function applyChanges(doc: Y.Doc, update: Uint8Array): boolean {
  const before = Y.snapshot(doc);
  const pendingBefore = pendingParts(doc);
  Y.applyUpdate(doc, update);
  return !Y.equalSnapshots(before, Y.snapshot(doc)) || !sameBytes(pendingBefore, pendingParts(doc));
}

/** What the document holds back until its dependencies arrive, as bytes (empty when nothing). */
function pendingParts(doc: Y.Doc): Uint8Array {
  const structs = doc.store.pendingStructs?.update ?? new Uint8Array();
  const ds = doc.store.pendingDs ?? new Uint8Array();
  return Buffer.concat([Buffer.from([structs.length > 0 ? 1 : 0]), structs, ds]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

const INVALID_UPDATE = { code: 'invalid_update', message: 'the update is not a Yjs update' } as const;

type SyncItem = { id: string; update?: string; stateVector: string };

/**
 * The stories of one sync request, answered in request order. Each story with an update
 * is merged in its own transaction (`mergeStory`): a refused or broken story never holds
 * back the others. The stories that only ask (a state vector, no update) are read
 * together in one query (`answerStories`), after the writes.
 */
export async function syncStories(
  db: Database,
  viewer: Viewer,
  items: readonly SyncItem[],
  now: number,
  guard?: StoryWriteGuard,
): Promise<SyncStoryResult[]> {
  const results = new Map<string, SyncStoryResult>();
  const asking: { id: string; clientStateVector: Uint8Array }[] = [];
  for (const item of items) {
    const clientStateVector = fromB64(item.stateVector);
    try {
      Y.decodeStateVector(clientStateVector);
    } catch {
      results.set(item.id, { id: item.id, ok: false, error: { code: 'invalid_update', message: 'the state vector is not a Yjs state vector' } });
      continue;
    }
    const update = item.update ? fromB64(item.update) : new Uint8Array();
    if (update.length === 0) asking.push({ id: item.id, clientStateVector });
    else results.set(item.id, await writeStory(db, viewer, item.id, update, clientStateVector, now, guard));
  }
  for (const result of await answerStories(db, viewer, asking)) results.set(result.id, result);
  return items.map((item) => results.get(item.id)!);
}

/** One story of a sync request: `syncStories` for a single item. */
export async function syncStory(db: Database, viewer: Viewer, item: SyncItem, now: number, guard?: StoryWriteGuard): Promise<SyncStoryResult> {
  return (await syncStories(db, viewer, [item], now, guard))[0]!;
}

/**
 * With an update, in one transaction: check permission, merge the client's update into
 * the stored document (only when it adds something, so a repeated request writes
 * nothing), append it to the log, refresh the projection, and answer what the client
 * lacks. Persisted before the answer is built.
 */
async function writeStory(
  db: Database,
  viewer: Viewer,
  id: string,
  update: Uint8Array,
  clientStateVector: Uint8Array,
  now: number,
  guard: StoryWriteGuard | undefined,
): Promise<SyncStoryResult> {
  // Two first pushes of one new story at once: the second finds the row only after the
  // first commits, and its INSERT fails; run it again, now as an update of that row.
  for (let attempt = 0; ; attempt++) {
    try {
      return await mergeStory(db, viewer, id, update, clientStateVector, now, guard);
    } catch (error) {
      if (attempt < 2 && (error as { code?: string }).code === '23505') continue;
      throw error;
    }
  }
}

const STORY_COLUMNS = `${STORY_FACTS_COLUMNS}, change_seq, doc_state, doc_state_vector, doc_catch_up`;
/** What answering a story needs when the client turns out to hold all of it: no `doc_state`. */
const CATCH_UP_COLUMNS = `${STORY_FACTS_COLUMNS}, change_seq, doc_state_vector, doc_catch_up`;

function storyAccess(viewer: Viewer, row: StoryFactsRow): boolean {
  return canAccessStory(viewer, { createdBy: row.created_by, rubrikId: row.rubrik_id, redakturId: row.redaktur_id, penulisIds: row.penulis_ids });
}

const FORBIDDEN = { code: 'forbidden', message: 'this story is not yours to read or change' } as const;
const NOT_FOUND = { code: 'not_found', message: 'no such story on the server' } as const;

/**
 * Stories the client only asks about (a state vector, no update). Nothing is written, so no
 * transaction and no row lock, which would queue every reconnecting reader behind the
 * stories' writers. First one query without the documents: a story the client already
 * holds whole (its state vector equals the server's) is answered from its stored catch-up
 * value. Only the others are read again with their documents, in a second query; each
 * answer comes from one row, so it is one consistent read, computed from the stored bytes
 * without building a Y.Doc.
 */
async function answerStories(db: Database, viewer: Viewer, asking: readonly { id: string; clientStateVector: Uint8Array }[]): Promise<SyncStoryResult[]> {
  if (asking.length === 0) return [];
  type CatchUpRow = Omit<StoryRow, 'doc_state'>;
  const rows = await db.query<CatchUpRow>(`SELECT ${CATCH_UP_COLUMNS} FROM stories WHERE id = ANY ($1::text[])`, [asking.map((a) => a.id)]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const answers = new Map<string, SyncStoryResult>();
  const whole: { id: string; clientStateVector: Uint8Array }[] = [];
  for (const item of asking) {
    const row = byId.get(item.id);
    const checked = checkedRow(viewer, item.id, row);
    if (checked) answers.set(item.id, checked);
    else {
      const update = row!.doc_state_vector && row!.doc_catch_up ? caughtUpAnswer({ stateVector: bytes(row!.doc_state_vector), catchUp: bytes(row!.doc_catch_up) }, item.clientStateVector) : null;
      if (update) answers.set(item.id, { id: item.id, ok: true, stateVector: b64(row!.doc_state_vector!), update: b64(update), changeSeq: Number(row!.change_seq) });
      else whole.push(item);
    }
  }
  if (whole.length > 0) {
    const wholeRows = await db.query<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories WHERE id = ANY ($1::text[])`, [whole.map((a) => a.id)]);
    const wholeById = new Map(wholeRows.map((row) => [row.id, row]));
    for (const { id, clientStateVector } of whole) {
      const row = wholeById.get(id);
      const checked = checkedRow(viewer, id, row);
      if (checked) answers.set(id, checked);
      else {
        const stored = storedDocument(row!) ?? storeDoc(await docFromLog(db, id));
        const answer = answerFromStored(stored, clientStateVector);
        answers.set(id, { id, ok: true, stateVector: b64(answer.stateVector), update: b64(answer.update), changeSeq: Number(row!.change_seq) });
      }
    }
  }
  return asking.map((a) => answers.get(a.id)!);
}

/** The refusal for a story the viewer may not read or that does not exist; null when it may be answered. */
function checkedRow(viewer: Viewer, id: string, row: Parameters<typeof storyAccess>[1] | undefined): SyncStoryResult | null {
  if (!row) return { id, ok: false, error: NOT_FOUND };
  if (!storyAccess(viewer, row)) return { id, ok: false, error: FORBIDDEN };
  return null;
}

/**
 * The Yjs side of a write, all done before anything is written. `stored` and `projection`
 * only when the document changed. Null when Yjs fails on the update: bytes it cannot read.
 */
interface MergedStory {
  changed: boolean;
  stored: StoredDocument | null;
  projection: StoryProjection | null;
  /** What the client lacks (the same as a diff of `stored` against its state vector). */
  update: Uint8Array;
  stateVector: Uint8Array;
}

function mergeIntoDoc(doc: Y.Doc, update: Uint8Array, clientStateVector: Uint8Array): MergedStory | null {
  try {
    const changed = applyChanges(doc, update);
    return {
      changed,
      stored: changed ? storeDoc(doc) : null,
      projection: changed ? projectStory(doc) : null,
      update: Y.encodeStateAsUpdate(doc, clientStateVector),
      stateVector: Y.encodeStateVector(doc),
    };
  } catch {
    return null;
  } finally {
    doc.destroy();
  }
}

/**
 * Decides, inside the story's transaction, from its row as locked there, whether an update
 * that changes an existing story may be stored (the review workflow: who may edit follows
 * the status). An error refuses it and nothing is written.
 */
export type StoryWriteGuard = (row: StoryFactsRow) => Extract<SyncStoryResult, { ok: false }>['error'] | null;

function mergeStory(
  db: Database,
  viewer: Viewer,
  id: string,
  update: Uint8Array,
  clientStateVector: Uint8Array,
  now: number,
  guard: StoryWriteGuard | undefined,
): Promise<SyncStoryResult> {
  return db.transaction(async (tx): Promise<SyncStoryResult> => {
    const [row] = await tx.query<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories WHERE id = $1 FOR UPDATE`, [id]);
    if (row && !storyAccess(viewer, row)) return { id, ok: false, error: FORBIDDEN };

    const doc = row ? await loadServerDoc(tx, id, row) : newServerDoc();
    // Applied to the server's own copy only after the permission check; the stored bytes
    // are not touched unless it applies cleanly.
    const merged = mergeIntoDoc(doc, update, clientStateVector);
    if (!merged) return { id, ok: false, error: INVALID_UPDATE };
    const answer = (changeSeq: string | number): SyncStoryResult => ({
      id,
      ok: true,
      stateVector: b64(merged.stateVector),
      update: b64(merged.update),
      changeSeq: Number(changeSeq),
    });
    if (!merged.changed || !merged.stored || !merged.projection) {
      // An update that adds nothing to an empty document: nothing to create.
      return row ? answer(row.change_seq) : { id, ok: false, error: NOT_FOUND };
    }
    const refusal = row && guard ? guard(row) : null;
    if (refusal) return { id, ok: false, error: refusal };

    const p = merged.projection;
    const { state, stateVector, catchUp } = merged.stored;
    const at = new Date(now);
    // The change number is drawn by the statement that stores it, as late as possible
    // (see changeOrder.ts).
    let written: { change_seq: string | number }[];
    if (!row) {
      written = await tx.query<{ change_seq: string | number }>(
        `INSERT INTO stories (id, created_by, headline, rubrik_id, redaktur_id, penulis_ids, word_count, created_at, updated_at, change_seq, doc_state, doc_state_vector, doc_catch_up, photo_sha256s)
         VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $8, ${NEXT_CHANGE_SEQ}, $9, $10, $11, $12::text[]) RETURNING change_seq`,
        [id, viewer.id, p.headline, p.rubrikId, p.redakturId, p.penulisIds, p.wordCount, at, state, stateVector, catchUp, p.photoSha256s],
      );
      await tx.query('INSERT INTO story_updates (story_id, update, created_by, created_at) VALUES ($1, $2, $3, $4)', [id, update, viewer.id, at]);
    } else {
      // The log row and the story row in one statement: one pass through the database
      // instead of two, which counts on the embedded engine (every statement runs in the
      // server's own thread).
      written = await tx.query<{ change_seq: string | number }>(
        `WITH logged AS (INSERT INTO story_updates (story_id, update, created_by, created_at) VALUES ($1, $11, $12, $7))
         UPDATE stories SET headline = $2, rubrik_id = $3, redaktur_id = $4, penulis_ids = $5::text[], word_count = $6, updated_at = $7,
                change_seq = ${NEXT_CHANGE_SEQ}, doc_state = $8, doc_state_vector = $9, doc_catch_up = $10, photo_sha256s = $13::text[] WHERE id = $1 RETURNING change_seq`,
        [id, p.headline, p.rubrikId, p.redakturId, p.penulisIds, p.wordCount, at, state, stateVector, catchUp, update, viewer.id, p.photoSha256s],
      );
    }
    const seq = written[0]!.change_seq;
    // The facts as they were come from the row locked above: no statement of their own.
    const formerly = row ? { rubrikId: row.rubrik_id, redakturId: row.redaktur_id, penulisIds: row.penulis_ids } : null;
    if (formerly) await bumpAccessEpochOnMove(tx, formerly, p);
    await publishChange(tx, {
      kind: 'story',
      seq: Number(seq),
      storyId: id,
      createdBy: row?.created_by ?? viewer.id,
      rubrikId: p.rubrikId,
      redakturId: p.redakturId,
      penulisIds: p.penulisIds,
      // Only when someone may have lost sight of it (they are told too): most edits move nothing.
      ...(formerly && mayLoseSight(formerly, p) ? { formerly } : {}),
    });
    return answer(seq);
  });
}
