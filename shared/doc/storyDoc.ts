import * as Y from 'yjs';

/**
 * The shape of a story's Y.Doc, its source of truth. Everything a person types lives here;
 * workflow status does not (the server decides it).
 */
export const BODY_ROOT = 'root'; // the name @lexical/yjs binds the editor root to
export const META_MAP = 'meta';
export const PHOTOS_MAP = 'photos';

/** Text fields of the meta map, edited as plain strings (last writer wins per field). */
export const META_TEXT_FIELDS = ['headline', 'subheadline', 'kicker', 'dateline', 'lead', 'slug'] as const;
export type MetaTextField = (typeof META_TEXT_FIELDS)[number];

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

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Reads the meta map defensively: a field written by a newer client with another type reads as empty. */
export function readMeta(doc: Y.Doc): StoryMeta {
  const m = getMetaMap(doc);
  const target = m.get('lengthTarget');
  return {
    headline: str(m.get('headline')),
    subheadline: str(m.get('subheadline')),
    kicker: str(m.get('kicker')),
    dateline: str(m.get('dateline')),
    lead: str(m.get('lead')),
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
