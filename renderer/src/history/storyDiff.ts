import { diffArrays, diffWords } from 'diff';
import * as Y from 'yjs';
import { readPhotos, type StoryPhoto } from '../../../shared/doc/photos';
import { bodyPlainText, readMeta, type StoryMeta } from '../../../shared/doc/storyDoc';

/**
 * What changed between two states of a story (issue 9's diff view). Pure: Yjs bytes in (each a
 * whole document as one update, as workflow.version answers and Y.encodeStateAsUpdate gives),
 * a structured diff out. The body is compared word by word; fields are compared as values.
 */

export type PartKind = 'same' | 'added' | 'removed';
export interface DiffPart {
  kind: PartKind;
  text: string;
}

/** Fields a reader of the diff cares about, in the order the view shows them. */
export const DIFF_FIELDS = ['headline', 'subheadline', 'kicker', 'lead', 'dateline', 'rubrik', 'redaktur', 'tags'] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

export interface FieldChange {
  field: DiffField;
  /** Text fields as written; rubrik and redaktur as ids (the view names them from the directory); tags joined with ", ". */
  before: string;
  after: string;
  /** Word by word, for the fields people write sentences into. */
  parts: DiffPart[] | null;
}

export type PhotoChange =
  | { kind: 'added' | 'removed'; photoId: string; sha256: string; caption: string; credit: string }
  | { kind: 'changed'; photoId: string; sha256: string; field: 'caption' | 'credit'; before: string; after: string };

export interface StoryDiff {
  /** The body as one run of parts: unchanged, added and removed text in reading order. */
  body: DiffPart[];
  /** Words (runs of letters or digits, with what clings to them) added to and removed from the body. */
  addedWords: string[];
  removedWords: string[];
  fields: FieldChange[];
  photos: PhotoChange[];
}

/** A story's document from its bytes (a whole state as one update). Throws on bytes Yjs cannot read. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

export function diffStoryStates(before: Uint8Array, after: Uint8Array): StoryDiff {
  const a = docFromState(before);
  const b = docFromState(after);
  try {
    return diffStoryDocs(a, b);
  } finally {
    a.destroy();
    b.destroy();
  }
}

export function diffStoryDocs(before: Y.Doc, after: Y.Doc): StoryDiff {
  const body = diffBody(bodyPlainText(before), bodyPlainText(after));
  return {
    body,
    addedWords: wordsOf(body, 'added'),
    removedWords: wordsOf(body, 'removed'),
    fields: diffFields(readMeta(before), readMeta(after)),
    photos: diffPhotos(readPhotos(before), readPhotos(after)),
  };
}

/** Word-level diff of two texts, neighbouring parts of one kind merged. */
export function diffText(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffWords(before, after)) push(parts, change.added ? 'added' : change.removed ? 'removed' : 'same', change.value);
  return parts;
}

function push(parts: DiffPart[], kind: PartKind, text: string): void {
  if (text === '') return;
  const last = parts[parts.length - 1];
  if (last && last.kind === kind) last.text += text;
  else parts.push({ kind, text });
}

const BLOCK_SEPARATOR = '\n\n';

/**
 * The body's diff: paragraphs first (unchanged ones are matched whole), then words within
 * the paragraphs that changed. Same result for a reader, and a 20,000-word story with a few
 * edits is compared without tokenising every word of it.
 * The parts always rebuild both texts exactly (same + removed = before, same + added = after).
 */
export function diffBody(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  let oldStarted = false;
  let newStarted = false;
  /** The blank line before a block, in whichever texts already have a block before it. */
  const separator = (inOld: boolean, inNew: boolean) => {
    const old = inOld && oldStarted;
    const now = inNew && newStarted;
    if (old && now) push(parts, 'same', BLOCK_SEPARATOR);
    else if (old) push(parts, 'removed', BLOCK_SEPARATOR);
    else if (now) push(parts, 'added', BLOCK_SEPARATOR);
  };
  let removed: string[] = [];
  let added: string[] = [];
  const flushChanged = () => {
    if (removed.length === 0 && added.length === 0) return;
    separator(removed.length > 0, added.length > 0);
    for (const p of diffText(removed.join(BLOCK_SEPARATOR), added.join(BLOCK_SEPARATOR))) push(parts, p.kind, p.text);
    oldStarted ||= removed.length > 0;
    newStarted ||= added.length > 0;
    removed = [];
    added = [];
  };
  for (const change of diffArrays(before.split(BLOCK_SEPARATOR), after.split(BLOCK_SEPARATOR))) {
    if (change.removed) removed.push(...change.value);
    else if (change.added) added.push(...change.value);
    else {
      flushChanged();
      for (const block of change.value) {
        separator(true, true);
        push(parts, 'same', block);
        oldStarted = newStarted = true;
      }
    }
  }
  flushChanged();
  return parts;
}

const WORD = /[\p{L}\p{N}]/u;

function wordsOf(parts: DiffPart[], kind: PartKind): string[] {
  return parts
    .filter((p) => p.kind === kind)
    .flatMap((p) => p.text.split(/\s+/))
    .filter((w) => WORD.test(w));
}

const PROSE: ReadonlySet<DiffField> = new Set(['headline', 'subheadline', 'kicker', 'lead']);

function fieldValue(meta: StoryMeta, field: DiffField): string {
  switch (field) {
    case 'rubrik':
      return meta.rubrikId ?? '';
    case 'redaktur':
      return meta.redakturId ?? '';
    case 'tags':
      return meta.tags.join(', ');
    default:
      return meta[field];
  }
}

function diffFields(before: StoryMeta, after: StoryMeta): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of DIFF_FIELDS) {
    const a = fieldValue(before, field);
    const b = fieldValue(after, field);
    if (a === b) continue;
    changes.push({ field, before: a, after: b, parts: PROSE.has(field) ? diffText(a, b) : null });
  }
  return changes;
}

function diffPhotos(before: StoryPhoto[], after: StoryPhoto[]): PhotoChange[] {
  const changes: PhotoChange[] = [];
  const old = new Map(before.map((p) => [p.id, p]));
  const now = new Map(after.map((p) => [p.id, p]));
  for (const p of after) {
    const was = old.get(p.id);
    if (!was) {
      changes.push({ kind: 'added', photoId: p.id, sha256: p.sha256, caption: p.caption, credit: p.credit });
      continue;
    }
    for (const field of ['caption', 'credit'] as const) {
      if (was[field] !== p[field]) changes.push({ kind: 'changed', photoId: p.id, sha256: p.sha256, field, before: was[field], after: p[field] });
    }
  }
  for (const p of before) {
    if (!now.has(p.id)) changes.push({ kind: 'removed', photoId: p.id, sha256: p.sha256, caption: p.caption, credit: p.credit });
  }
  return changes;
}
