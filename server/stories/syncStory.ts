import * as Y from 'yjs';
import type { SyncStoryResult } from '../../shared/server-api/sync';
import type { Database, Queryable } from '../db/database';
import { publishChange } from '../notify/changeEvents';
import { bumpAccessEpochOnMove } from './accessEpoch';
import { canAccessStory, type Viewer } from './permissions';
import { projectStory } from './projection';

interface StoryRow {
  id: string;
  created_by: string;
  rubrik_id: string | null;
  redaktur_id: string | null;
  penulis_ids: string[];
  change_seq: string | number;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

async function loadDoc(tx: Queryable, storyId: string): Promise<Y.Doc> {
  const rows = await tx.query<{ update: Uint8Array }>('SELECT update FROM story_updates WHERE story_id = $1 ORDER BY id', [storyId]);
  const doc = new Y.Doc({ gc: false });
  if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows.map((r) => new Uint8Array(r.update))));
  return doc;
}

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

/** Yjs reads garbage in unpredictable ways; decode into a scratch doc first so a bad update never touches a stored one. */
function isReadableUpdate(update: Uint8Array): boolean {
  try {
    Y.applyUpdate(new Y.Doc({ gc: false }), update);
    return true;
  } catch {
    return false;
  }
}

/** Any fixed number: every server process on one PostgreSQL takes the same lock. */
const CHANGE_SEQ_LOCK_KEY = 7_402_616;

/**
 * The changes feed hands out cursors, so change numbers must become visible in the order
 * they are drawn: otherwise a reader may see number 6 committed while 5 is still in flight,
 * move its cursor past 5, and never see that change. A transaction-level advisory lock,
 * taken just before drawing the number and held until commit (PostgreSQL releases it only
 * after the commit is visible), makes the transactions that change stories draw and commit
 * their numbers one at a time. Only this short tail is serialised: decoding, permission
 * checks and merging still run concurrently. PGlite runs one transaction at a time anyway.
 */
export async function serialiseChangeSeq(db: Database, tx: Queryable): Promise<void> {
  if (db.engine === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_SEQ_LOCK_KEY]);
}

/**
 * One story of a sync request. With an update, in one transaction: check permission,
 * merge the client's update into the log (only when it adds something, so a repeated
 * request writes nothing), refresh the projection, and answer what the client lacks.
 * Persisted before the answer is built. With only a state vector: see `answerStory`.
 */
export async function syncStory(
  db: Database,
  viewer: Viewer,
  item: { id: string; update?: string; stateVector: string },
  now: number,
  guard?: StoryWriteGuard,
): Promise<SyncStoryResult> {
  const update = item.update ? fromB64(item.update) : new Uint8Array();
  const clientStateVector = fromB64(item.stateVector);
  if (update.length > 0 && !isReadableUpdate(update)) return { id: item.id, ok: false, error: { code: 'invalid_update', message: 'the update is not a Yjs update' } };
  try {
    Y.decodeStateVector(clientStateVector);
  } catch {
    return { id: item.id, ok: false, error: { code: 'invalid_update', message: 'the state vector is not a Yjs state vector' } };
  }

  if (update.length === 0) return answerStory(db, viewer, item.id, clientStateVector);
  // Two first pushes of one new story at once: the second finds the row only after the
  // first commits, and its INSERT fails; run it again, now as an update of that row.
  for (let attempt = 0; ; attempt++) {
    try {
      return await mergeStory(db, viewer, item.id, update, clientStateVector, now, guard);
    } catch (error) {
      if (attempt < 2 && (error as { code?: string }).code === '23505') continue;
      throw error;
    }
  }
}

function storyAccess(viewer: Viewer, row: StoryRow): boolean {
  return canAccessStory(viewer, { createdBy: row.created_by, rubrikId: row.rubrik_id, redakturId: row.redaktur_id, penulisIds: row.penulis_ids });
}

const FORBIDDEN = { code: 'forbidden', message: 'this story is not yours to read or change' } as const;
const NOT_FOUND = { code: 'not_found', message: 'no such story on the server' } as const;

/**
 * A story the client only asks about (a state vector, no update): nothing is written, so
 * no transaction and no row lock, which would queue every reconnecting reader behind the
 * story's writers. The row and the log are read one after the other; a write that commits
 * in between only makes the answer newer, and its change event makes the client ask again.
 */
async function answerStory(db: Database, viewer: Viewer, id: string, clientStateVector: Uint8Array): Promise<SyncStoryResult> {
  const [row] = await db.query<StoryRow>('SELECT id, created_by, rubrik_id, redaktur_id, penulis_ids, change_seq FROM stories WHERE id = $1', [id]);
  if (!row) return { id, ok: false, error: NOT_FOUND };
  if (!storyAccess(viewer, row)) return { id, ok: false, error: FORBIDDEN };
  const doc = await loadDoc(db, id);
  return {
    id,
    ok: true,
    stateVector: b64(Y.encodeStateVector(doc)),
    update: b64(Y.encodeStateAsUpdate(doc, clientStateVector)),
    changeSeq: Number(row.change_seq),
  };
}

/**
 * Decides, inside the story's transaction (its row locked), whether an update that changes an
 * existing story may be stored (the review workflow: who may edit follows the status). An
 * error refuses it and nothing is written.
 */
export type StoryWriteGuard = (tx: Queryable, storyId: string) => Promise<Extract<SyncStoryResult, { ok: false }>['error'] | null>;

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
    const [row] = await tx.query<StoryRow>('SELECT id, created_by, rubrik_id, redaktur_id, penulis_ids, change_seq FROM stories WHERE id = $1 FOR UPDATE', [id]);
    if (row && !storyAccess(viewer, row)) return { id: id, ok: false, error: FORBIDDEN };

    const doc = row ? await loadDoc(tx, id) : new Y.Doc({ gc: false });
    const changed = applyChanges(doc, update);
    const refusal = changed && row && guard ? await guard(tx, id) : null;
    if (refusal) return { id, ok: false, error: refusal };
    let changeSeq = row ? Number(row.change_seq) : 0;
    if (changed) {
      const p = projectStory(doc);
      await serialiseChangeSeq(db, tx);
      const at = new Date(now);
      let written: { change_seq: string | number }[];
      if (!row) {
        written = await tx.query<{ change_seq: string | number }>(
          `INSERT INTO stories (id, created_by, headline, rubrik_id, redaktur_id, penulis_ids, word_count, created_at, updated_at, change_seq)
           VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $8, nextval('story_change_seq')) RETURNING change_seq`,
          [id, viewer.id, p.headline, p.rubrikId, p.redakturId, p.penulisIds, p.wordCount, at],
        );
      } else {
        written = await tx.query<{ change_seq: string | number }>(
          `UPDATE stories SET headline = $2, rubrik_id = $3, redaktur_id = $4, penulis_ids = $5::text[], word_count = $6, updated_at = $7,
                  change_seq = nextval('story_change_seq') WHERE id = $1 RETURNING change_seq`,
          [id, p.headline, p.rubrikId, p.redakturId, p.penulisIds, p.wordCount, at],
        );
      }
      changeSeq = Number(written[0]!.change_seq);
      if (row) await bumpAccessEpochOnMove(tx, { rubrikId: row.rubrik_id, redakturId: row.redaktur_id, penulisIds: row.penulis_ids }, p);
      await tx.query('INSERT INTO story_updates (story_id, update, created_by, created_at) VALUES ($1, $2, $3, $4)', [id, update, viewer.id, at]);
      await publishChange(tx, {
        kind: 'story',
        seq: changeSeq,
        storyId: id,
        createdBy: row?.created_by ?? viewer.id,
        rubrikId: p.rubrikId,
        redakturId: p.redakturId,
        penulisIds: p.penulisIds,
      });
    } else if (!row) {
      // An update that adds nothing to an empty document: nothing to create.
      return { id: id, ok: false, error: NOT_FOUND };
    }
    return { id: id, ok: true, stateVector: b64(Y.encodeStateVector(doc)), update: b64(Y.encodeStateAsUpdate(doc, clientStateVector)), changeSeq };
  });
}
