import { useCallback, useLayoutEffect, useSyncExternalStore, type RefObject } from 'react';
import type * as Y from 'yjs';
import { getMetaMap, readMeta, type MetaPlainField, type MetaProseField } from '../../../shared/doc/storyDoc';
import { META_FIELD_ORIGIN, MetaTextBinding } from './metaTextBinding';

export { META_FIELD_ORIGIN };

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

/** A plain field (dateline, slug): one string, last writer wins. */
export function useMetaText(doc: Y.Doc, field: MetaPlainField): [string, (value: string) => void] {
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

/**
 * Binds an uncontrolled <input>/<textarea> to a prose field's collaborative text (see
 * MetaTextBinding): typing becomes minimal edits, changes from core appear with the caret
 * kept, IME composition is left alone until it ends.
 */
export function useMetaProseField(doc: Y.Doc, field: MetaProseField, ref: RefObject<HTMLInputElement | HTMLTextAreaElement | null>): void {
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const binding = new MetaTextBinding(doc, field, element, () => element.ownerDocument.activeElement === element);
    const onInput = () => binding.input();
    const onCompositionStart = () => binding.compositionStart();
    const onCompositionEnd = () => binding.compositionEnd();
    element.addEventListener('input', onInput);
    element.addEventListener('compositionstart', onCompositionStart);
    element.addEventListener('compositionend', onCompositionEnd);
    return () => {
      element.removeEventListener('input', onInput);
      element.removeEventListener('compositionstart', onCompositionStart);
      element.removeEventListener('compositionend', onCompositionEnd);
      binding.destroy();
    };
  }, [doc, field, ref]);
}
