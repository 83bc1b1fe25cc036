import * as Y from 'yjs';
import type { Queryable } from '../db/database';

/**
 * A story's document as the server keeps it for syncing: the whole document as one Yjs
 * update (`stories.doc_state`) and the state vector the server answers with
 * (`stories.doc_state_vector`), both written in the transaction that appends to the
 * story's update log (migration 20261201_0003_story_state). A sync reads this one value
 * instead of merging the log; the log stays as the record of who sent what and when.
 */
export interface StoredDocument {
  state: Uint8Array;
  stateVector: Uint8Array;
}

/** The two columns as a row holds them: both NULL for a story last written before they existed. */
export interface StoredDocumentColumns {
  doc_state: Uint8Array | null;
  doc_state_vector: Uint8Array | null;
}

/** pg hands bytea out as Buffers; Yjs wants plain Uint8Arrays (a view, not a copy). */
const bytes = (value: Uint8Array) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

export function storedDocument(row: StoredDocumentColumns): StoredDocument | null {
  if (row.doc_state === null || row.doc_state_vector === null) return null;
  return { state: bytes(row.doc_state), stateVector: bytes(row.doc_state_vector) };
}

/**
 * The server's working copy of a document. `gc: false`: deleted text is kept, so every
 * version of the story can still be rebuilt from it.
 */
export function newServerDoc(): Y.Doc {
  return new Y.Doc({ gc: false });
}

export function docFromState(state: Uint8Array): Y.Doc {
  const doc = newServerDoc();
  Y.applyUpdate(doc, state);
  return doc;
}

/**
 * A story last written before `doc_state` existed: its document is the merge of its
 * whole update log, as every read was before. Its next write stores the merged state.
 */
export async function docFromLog(tx: Queryable, storyId: string): Promise<Y.Doc> {
  const rows = await tx.query<{ update: Uint8Array }>('SELECT update FROM story_updates WHERE story_id = $1 ORDER BY id', [storyId]);
  const doc = newServerDoc();
  if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows.map((r) => bytes(r.update))));
  return doc;
}

/**
 * What to store for `doc`: the document encoded whole, parts still waiting for their
 * dependencies included (Yjs adds them), so it holds exactly what merging the log
 * would; and the state vector of what it holds without gaps, which is what a client may
 * record as acknowledged.
 */
export function storeDoc(doc: Y.Doc): StoredDocument {
  return { state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc) };
}

/**
 * The answer to a client holding `clientStateVector`, from the stored bytes without
 * building a Y.Doc: what it lacks (Yjs' diff of the stored update: the structs past its
 * state vector and the whole delete set, as Y.encodeStateAsUpdate(doc, sv) gives) and the
 * stored state vector.
 */
export function answerFromStored(stored: StoredDocument, clientStateVector: Uint8Array): { stateVector: Uint8Array; update: Uint8Array } {
  return { stateVector: stored.stateVector, update: Y.diffUpdate(stored.state, clientStateVector) };
}
