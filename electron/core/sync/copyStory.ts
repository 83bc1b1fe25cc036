import * as Y from 'yjs';
import { META_MAP, META_PROSE_FIELDS, PHOTOS_MAP, getBody, getMetaText } from '../../../shared/doc/storyDoc';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types differ in their event type only
type AnyType = Y.AbstractType<any>;

/**
 * A fresh document holding what `source` says (body, meta, photos), with none of its
 * history: a "salinan konflik" is a new story of its own, so it starts a history of its own.
 * Nested types are rebuilt one by one (Yjs' own clone() of an XmlText reuses the nested
 * types instead of copying them).
 */
export function copyStoryDoc(source: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  copy.transact(() => {
    fillText(getBody(copy), getBody(source));
    for (const field of META_PROSE_FIELDS) fillText(getMetaText(copy, field), getMetaText(source, field));
    fillMap(copy.getMap(META_MAP), source.getMap(META_MAP));
    fillMap(copy.getMap(PHOTOS_MAP), source.getMap(PHOTOS_MAP));
  });
  return copy;
}

/** `target` must be part of a document (integrated) so nested types can be filled in place. */
function fillText(target: Y.Text, source: Y.Text): void {
  if (source instanceof Y.XmlText && target instanceof Y.XmlText) {
    for (const [key, value] of Object.entries(source.getAttributes())) target.setAttribute(key, copyValue(value) as string);
  }
  let at = 0;
  for (const op of source.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const attributes = op.attributes ?? {};
    if (typeof op.insert === 'string') {
      target.insert(at, op.insert, attributes);
      at += op.insert.length;
      continue;
    }
    if (op.insert instanceof Y.AbstractType) {
      const child = emptyLike(op.insert);
      target.insertEmbed(at, child, attributes);
      fillType(child, op.insert);
    } else {
      target.insertEmbed(at, copyValue(op.insert) as object, attributes);
    }
    at += 1;
  }
}

function fillMap(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  for (const [key, value] of source.entries()) {
    if (value instanceof Y.AbstractType) {
      const child = emptyLike(value);
      target.set(key, child);
      fillType(child, value);
    } else {
      target.set(key, copyValue(value));
    }
  }
}

function fillSequence(target: Y.Array<unknown> | Y.XmlElement | Y.XmlFragment, source: Y.Array<unknown> | Y.XmlElement | Y.XmlFragment): void {
  const items = source.toArray() as unknown[];
  items.forEach((item, index) => {
    if (item instanceof Y.AbstractType) {
      const child = emptyLike(item);
      (target as Y.Array<unknown>).insert(index, [child]);
      fillType(child, item);
    } else {
      (target as Y.Array<unknown>).insert(index, [copyValue(item)]);
    }
  });
}

function fillType(target: AnyType, source: AnyType): void {
  if (source instanceof Y.Text) fillText(target as Y.Text, source);
  else if (source instanceof Y.Map) fillMap(target as Y.Map<unknown>, source);
  else if (source instanceof Y.XmlElement) {
    for (const [key, value] of Object.entries(source.getAttributes())) (target as Y.XmlElement).setAttribute(key, copyValue(value) as string);
    fillSequence(target as Y.XmlElement, source);
  } else if (source instanceof Y.Array || source instanceof Y.XmlFragment) fillSequence(target as Y.Array<unknown>, source);
}

function emptyLike(type: AnyType): AnyType {
  if (type instanceof Y.XmlText) return new Y.XmlText();
  if (type instanceof Y.Text) return new Y.Text();
  if (type instanceof Y.XmlElement) return new Y.XmlElement(type.nodeName);
  if (type instanceof Y.XmlFragment) return new Y.XmlFragment();
  if (type instanceof Y.Map) return new Y.Map();
  if (type instanceof Y.Array) return new Y.Array();
  throw new Error(`cannot copy a ${type.constructor.name}`);
}

/** Plain JSON values are copied, so the copy shares nothing with the source. */
function copyValue(value: unknown): unknown {
  return value instanceof Uint8Array ? new Uint8Array(value) : value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
