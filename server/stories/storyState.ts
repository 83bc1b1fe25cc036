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
  /**
   * The answer for a client that holds exactly `stateVector` (`stories.doc_catch_up`): no
   * new items, only the document's delete set (deleting text adds no item, so equal state
   * vectors do not mean equal documents) and any parts still waiting for their
   * dependencies. Most stories a reconnecting client asks about are in that state, and this
   * answers them without reading or decoding the whole document.
   */
  catchUp: Uint8Array;
}

/** The columns as a row holds them: NULL for a story last written before they existed. */
export interface StoredDocumentColumns {
  doc_state: Uint8Array | null;
  doc_state_vector: Uint8Array | null;
  doc_catch_up: Uint8Array | null;
}

/** pg hands bytea out as Buffers; Yjs wants plain Uint8Arrays (a view, not a copy). */
export const bytes = (value: Uint8Array) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

/** Null when the row lacks any of them: its next write fills them all. */
export function storedDocument(row: StoredDocumentColumns): StoredDocument | null {
  if (row.doc_state === null || row.doc_state_vector === null || row.doc_catch_up === null) return null;
  return { state: bytes(row.doc_state), stateVector: bytes(row.doc_state_vector), catchUp: bytes(row.doc_catch_up) };
}

/**
 * The server's working copy of a document. `gc: false`: deleted text is kept, so every
 * version of the story can still be rebuilt from it. The guid is given because Yjs would
 * otherwise draw a random one (about thirty calls to the system's random source, a
 * measurable share of a sync's CPU); it names the document only for sub-documents, which
 * stories do not use, and is never stored or sent.
 */
export function newServerDoc(): Y.Doc {
  return new Y.Doc({ gc: false, guid: 'ruang-server-story' });
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
 * The story's whole document as the server holds it: from `doc_state` when the row has it
 * (`row.doc_state`; read it in the caller's own query), else merged from its update log.
 */
export async function loadServerDoc(q: Queryable, storyId: string, row: Pick<StoredDocumentColumns, 'doc_state'> | undefined): Promise<Y.Doc> {
  return row?.doc_state ? docFromState(bytes(row.doc_state)) : docFromLog(q, storyId);
}

/**
 * What to store for `doc`: the document encoded whole, parts still waiting for their
 * dependencies included (Yjs adds them), so it holds exactly what merging the log
 * would; and the state vector of what it holds without gaps, which is what a client may
 * record as acknowledged.
 */
export function storeDoc(doc: Y.Doc): StoredDocument {
  const stateVector = Y.encodeStateVector(doc);
  return { state: Y.encodeStateAsUpdate(doc), stateVector, catchUp: Y.encodeStateAsUpdate(doc, stateVector) };
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

/**
 * The stored catch-up answer when the client holds exactly what the server holds (the same
 * clients at the same clocks), else null. Decoded, not compared byte for byte: the
 * encoding's order of clients is not part of the format.
 */
export function caughtUpAnswer(stored: Pick<StoredDocument, 'stateVector' | 'catchUp'>, clientStateVector: Uint8Array): Uint8Array | null {
  const server = Y.decodeStateVector(stored.stateVector);
  const client = Y.decodeStateVector(clientStateVector);
  if (server.size !== client.size) return null;
  for (const [id, clock] of server) if (client.get(id) !== clock) return null;
  return stored.catchUp;
}
