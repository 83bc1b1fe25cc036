import * as Y from 'yjs';

/**
 * The shape of a story's Y.Doc, its source of truth. Everything a person types lives here;
 * workflow status does not (the server decides it).
 */
export const BODY_ROOT = 'root'; // the name @lexical/yjs binds the editor root to
export const META_MAP = 'meta';
export const PHOTOS_MAP = 'photos';

/**
 * Meta fields people write sentences into. Each is a collaborative Y.Text, so when two
 * people edit the lead offline both keep their words. A merged text can be
 * tidied by a person; a version dropped by last-writer-wins cannot be recovered.
 *
 * Each lives in a top-level (root) Y.Text named `meta.<field>`, not inside the meta map:
 * if two offline clients each did `meta.set('lead', new Y.Text())`, the map would keep one
 * of the two Y.Texts (last writer wins on the key) and every word typed into the other
 * would vanish. Root types are identified by name, so every client's `doc.getText(
 * 'meta.lead')` is the same shared text from the start, with nothing to create and
 * nothing to race.
 */
export const META_PROSE_FIELDS = ['headline', 'subheadline', 'kicker', 'lead'] as const;
export type MetaProseField = (typeof META_PROSE_FIELDS)[number];

/**
 * Short values that are chosen rather than written (the dateline city, the slug): plain
 * strings in the meta map, last writer wins. Merging "JAKARTA" with "BANDUNG" letter by
 * letter would help nobody.
 */
export const META_PLAIN_FIELDS = ['dateline', 'slug'] as const;
export type MetaPlainField = (typeof META_PLAIN_FIELDS)[number];

/** Every single-line or paragraph text field of a story's meta. */
export const META_TEXT_FIELDS = [...META_PROSE_FIELDS, ...META_PLAIN_FIELDS] as const;
export type MetaTextField = MetaProseField | MetaPlainField;

export function isMetaProseField(field: string): field is MetaProseField {
  return (META_PROSE_FIELDS as readonly string[]).includes(field);
}

/** Name of the root Y.Text holding a prose field. */
export function metaTextRootName(field: MetaProseField): string {
  return `${META_MAP}.${field}`;
}

export interface StoryMeta {
  headline: string;
  subheadline: string;
  kicker: string;
  dateline: string;
  lead: string;
  slug: string;
  tags: string[];
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: string[];
  lengthTarget: number | null;
}

export function getBody(doc: Y.Doc): Y.XmlText {
  return doc.get(BODY_ROOT, Y.XmlText) as Y.XmlText;
}
export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META_MAP);
}
export function getPhotosMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(PHOTOS_MAP);
}
/** The collaborative text of a prose field (see META_PROSE_FIELDS). */
export function getMetaText(doc: Y.Doc, field: MetaProseField): Y.Text {
  return doc.getText(metaTextRootName(field));
}

/**
 * A prose field as stories written before it became collaborative stored it: a plain string
 * in the meta map. Core's migration 20261201_0002 moves these into the Y.Text; one can still
 * arrive later (edits an older renderer left unsent and replays), so readers honour it.
 */
export function legacyMetaString(doc: Y.Doc, field: MetaProseField): string | undefined {
  const v = getMetaMap(doc).get(field);
  return typeof v === 'string' ? v : undefined;
}

/**
 * What a prose field says: an old-style string still in the meta map is the last thing an
 * older client wrote there and wins until it is moved into the text (upgradeLegacyMetaText
 * does that without changing what this returns).
 */
export function readMetaText(doc: Y.Doc, field: MetaProseField): string {
  return legacyMetaString(doc, field) ?? getMetaText(doc, field).toString();
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Reads the meta defensively: a plain field written by a newer client with another type
 * reads as empty; prose fields read their Y.Text (or an old-style string, see readMetaText).
 */
export function readMeta(doc: Y.Doc): StoryMeta {
  const m = getMetaMap(doc);
  const target = m.get('lengthTarget');
  return {
    headline: readMetaText(doc, 'headline'),
    subheadline: readMetaText(doc, 'subheadline'),
    kicker: readMetaText(doc, 'kicker'),
    dateline: str(m.get('dateline')),
    lead: readMetaText(doc, 'lead'),
    slug: str(m.get('slug')),
    tags: strList(m.get('tags')),
    rubrikId: strOrNull(m.get('rubrikId')),
    redakturId: strOrNull(m.get('redakturId')),
    penulisIds: strList(m.get('penulisIds')),
    lengthTarget: typeof target === 'number' && Number.isFinite(target) ? target : null,
  };
}

/**
 * Plain text of the body, read straight from the Yjs structure that @lexical/yjs writes
 * (element nodes are nested Y.XmlText, text nodes a Y.Map of properties followed by the
 * characters, decorators Y.XmlElement). Blocks are separated by a blank line, like
 * Lexical's getTextContent(); a page break reads as a block separator.
 * Core uses this for the list projection and search without building an editor.
 */
export function bodyPlainText(doc: Y.Doc): string {
  const blocks: string[] = [];
  collectBlocks(getBody(doc), blocks);
  return blocks.filter((b) => b.length > 0).join('\n\n');
}

/** Element nodes Lexical keeps inside a paragraph (links, comment marks), not blocks of their own. */
const INLINE_ELEMENT_TYPES = new Set(['link', 'autolink', 'mark']);

function inlineText(element: Y.XmlText): string {
  let text = '';
  for (const op of element.toDelta() as Array<{ insert: unknown }>) {
    const ins = op.insert;
    if (typeof ins === 'string') text += ins;
    else if (ins instanceof Y.XmlText) text += inlineText(ins);
    else if (ins instanceof Y.Map && ins.get('__type') === 'linebreak') text += '\n';
  }
  return text;
}

function collectBlocks(element: Y.XmlText, out: string[]): void {
  let current = '';
  let hasNestedBlocks = false;
  const flush = () => {
    if (current) out.push(current);
    current = '';
  };
  for (const op of element.toDelta() as Array<{ insert: unknown }>) {
    const ins = op.insert;
    if (typeof ins === 'string') {
      current += ins;
    } else if (ins instanceof Y.XmlText && INLINE_ELEMENT_TYPES.has(String(ins.getAttribute('__type')))) {
      // A link or a comment mark sits inside its paragraph: its words are part of the line.
      current += inlineText(ins);
    } else if (ins instanceof Y.XmlText) {
      hasNestedBlocks = true;
      flush();
      collectBlocks(ins, out);
    } else if (ins instanceof Y.Map) {
      if (ins.get('__type') === 'linebreak') current += '\n';
    } else if (ins instanceof Y.XmlElement) {
      flush();
    }
  }
  if (current || !hasNestedBlocks) out.push(current);
}
