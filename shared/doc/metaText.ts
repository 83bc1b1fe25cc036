import * as Y from 'yjs';
import { getMetaMap, getMetaText, legacyMetaString, META_PROSE_FIELDS, metaTextRootName, type MetaProseField } from './storyDoc';
import { diffText, type TextEdit } from './textDiff';

/**
 * Writing the prose fields of a story's meta (headline, subheadline, kicker, lead), which
 * are collaborative Y.Texts (see META_PROSE_FIELDS), and moving stories written before
 * that out of the old shape (a plain string in the meta map).
 */

/** Applies one edit to a Y.Text (call inside a transaction to give it an origin). */
export function applyEditToText(text: Y.Text, edit: TextEdit): void {
  if (edit.deleteCount > 0) text.delete(edit.index, edit.deleteCount);
  if (edit.insert) text.insert(edit.index, edit.insert);
}

/**
 * Sets a prose field to `value` with the smallest edit (common prefix and suffix kept), so
 * what others typed into the unchanged parts survives a merge. The renderer's inputs go
 * through the same diff; seeds, tests and headless writers use this.
 */
export function writeMetaText(doc: Y.Doc, field: MetaProseField, value: string, origin: unknown = null): void {
  upgradeLegacyMetaText(doc, field, origin);
  doc.transact(() => {
    const text = getMetaText(doc, field);
    const edit = diffText(text.toString(), value);
    if (edit) applyEditToText(text, edit);
  }, origin);
}

/**
 * Moves an old-style string of `field` from the meta map into its Y.Text and removes it
 * from the map, without changing what readMetaText returns. Returns whether anything changed.
 *
 * - Text never written (the usual case: a story from before the change): the string is
 *   inserted by a client id derived from the map entry it comes from, into a text with no
 *   items at all. Every replica that upgrades the same entry therefore produces the
 *   very same Yjs item (same id, same content, same position), and Yjs keeps one copy when
 *   their updates meet: two tabs, or later two machines, upgrading one story do not double
 *   the headline.
 * - Text already written (an older renderer's unsent edit replayed after the upgrade): the
 *   string is the newer word, so the text is edited into it with the smallest edit, by this
 *   client as any edit.
 *
 * Call it outside any transaction (it makes its own, one of them by applying an update).
 */
export function upgradeLegacyMetaText(doc: Y.Doc, field: MetaProseField, origin: unknown = null): boolean {
  const legacy = legacyMetaString(doc, field);
  if (legacy === undefined) return false;
  const map = getMetaMap(doc);
  const entry = map._map.get(field);
  const text = getMetaText(doc, field);
  // Deterministic only into a text that never held anything, not even deleted characters:
  // only then is "no left or right neighbour" the same position on every replica.
  if (text._start === null && legacy !== '' && entry) {
    // Applied as an update (Yjs marks such a transaction remote), in a transaction of its own
    // so the person's edit that may follow stays a local one.
    Y.applyUpdate(doc, deterministicInsert(doc, field, legacy, entry.id), origin);
  }
  doc.transact(() => {
    const current = text.toString();
    if (current !== legacy) {
      const edit = diffText(current, legacy);
      if (edit) applyEditToText(text, edit);
    }
    map.delete(field);
  }, origin);
  return true;
}

/** Every prose field of `doc` upgraded in one transaction; the Yjs update it made, or null. */
export function upgradeLegacyMeta(doc: Y.Doc): Uint8Array | null {
  if (!hasLegacyMeta(doc)) return null;
  const before = Y.encodeStateVector(doc);
  let changed = false;
  for (const field of META_PROSE_FIELDS) changed = upgradeLegacyMetaText(doc, field) || changed;
  return changed ? Y.encodeStateAsUpdate(doc, before) : null;
}

/** True when some prose field is still in the old shape. */
export function hasLegacyMeta(doc: Y.Doc): boolean {
  return META_PROSE_FIELDS.some((f) => legacyMetaString(doc, f) !== undefined);
}

/**
 * The update inserting `content` into the empty root text of `field`, made by a client id
 * derived from the map entry being upgraded, at clock 0, with no left or right neighbour:
 * identical on every replica. Falls back to a fresh id if that one is already in use here
 * (a 1 in 4 billion coincidence), which only costs the de-duplication.
 */
function deterministicInsert(doc: Y.Doc, field: MetaProseField, content: string, from: Y.ID): Uint8Array {
  const scratch = new Y.Doc();
  try {
    const clientId = fnv1a32(`${metaTextRootName(field)}\u0000${from.client}:${from.clock}`);
    if (clientId !== doc.clientID && Y.getState(doc.store, clientId) === 0) scratch.clientID = clientId;
    scratch.getText(metaTextRootName(field)).insert(0, content);
    return Y.encodeStateAsUpdate(scratch);
  } finally {
    scratch.destroy();
  }
}

/** 32-bit FNV-1a over UTF-16 code units: a Yjs client id (uint32). */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
