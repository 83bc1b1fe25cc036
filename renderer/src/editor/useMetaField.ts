import { useCallback, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { getMetaMap, readMeta, type MetaTextField } from '../../../shared/doc/storyDoc';

/** Origin of edits typed into the meta fields (local: the push queue sends them). */
export const META_FIELD_ORIGIN = Symbol('meta-field');

/**
 * Subscribes one field to the story's meta map: only this field re-renders when it
 * changes (locally or from core), never the editor.
 */
function useMetaValue<T>(doc: Y.Doc, read: () => T): T {
  const subscribe = useCallback(
    (notify: () => void) => {
      const meta = getMetaMap(doc);
      meta.observe(notify);
      return () => meta.unobserve(notify);
    },
    [doc],
  );
  return useSyncExternalStore(subscribe, read);
}

export function useMetaText(doc: Y.Doc, field: MetaTextField): [string, (value: string) => void] {
  const value = useMetaValue(doc, () => {
    const v = getMetaMap(doc).get(field);
    return typeof v === 'string' ? v : '';
  });
  const setValue = useCallback(
    (next: string) => {
      doc.transact(() => getMetaMap(doc).set(field, next), META_FIELD_ORIGIN);
    },
    [doc, field],
  );
  return [value, setValue];
}

/** Tags as stored (string[]); the snapshot is cached by its joined form so it is stable between renders. */
export function useMetaTags(doc: Y.Doc): [string[], (tags: string[]) => void] {
  const key = useMetaValue(doc, () => JSON.stringify(readMeta(doc).tags));
  const tags = JSON.parse(key) as string[];
  const setTags = useCallback(
    (next: string[]) => {
      doc.transact(() => getMetaMap(doc).set('tags', next), META_FIELD_ORIGIN);
    },
    [doc],
  );
  return [tags, setTags];
}
