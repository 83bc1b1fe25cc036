import type * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../../shared/doc/storyDoc';
import { META_FIELD_ORIGIN } from './metaTextBinding';

/** The story's rubrik and redaktur: plain ids in the meta map, so they sync (last writer wins) like any meta value. */
export type AssignmentKey = 'rubrikId' | 'redakturId';

/** The stored id, or '' when none is set (what a <select> with a "choose" entry wants). */
export function readAssignment(doc: Y.Doc, key: AssignmentKey): string {
  return readMeta(doc)[key] ?? '';
}

/** Sets the id ('' removes it), as a local edit: the push queue sends it to core like typing. */
export function writeAssignment(doc: Y.Doc, key: AssignmentKey, value: string): void {
  doc.transact(() => {
    if (value) getMetaMap(doc).set(key, value);
    else getMetaMap(doc).delete(key);
  }, META_FIELD_ORIGIN);
}
