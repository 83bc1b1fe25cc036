/**
 * Turning "the field used to say A, now it says B" into the smallest edit, so a keystroke
 * becomes a one-character insert in a collaborative text instead of a rewrite of the whole
 * field (a rewrite would erase whatever another person typed meanwhile).
 *
 * Indices are UTF-16 code units, like JavaScript strings, DOM selections and Y.Text.
 */

/** Replace `deleteCount` units at `index` with `insert`. */
export interface TextEdit {
  index: number;
  deleteCount: number;
  insert: string;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The single edit that turns `before` into `after`: everything between their common
 * prefix and common suffix. Never cuts a surrogate pair (an emoji is two code units; an
 * edit boundary between them would leave half a character, which Yjs turns into U+FFFD).
 * Returns null when the strings are equal.
 */
export function diffText(before: string, after: string): TextEdit | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  // "😀" → "😃" share their high surrogate: the edit must start before it.
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;

  let suffix = 0;
  const maxSuffix = shorter - prefix;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Likewise the suffix must not begin with the low half of a pair whose high half changed.
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;

  return {
    index: prefix,
    deleteCount: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/** Applies an edit to a plain string (what the collaborative text does to its content). */
export function applyTextEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.index) + edit.insert + text.slice(edit.index + edit.deleteCount);
}

/** One operation of a Yjs text delta (Y.YTextEvent.delta), as plain data. */
export interface DeltaOp {
  retain?: number;
  insert?: unknown;
  delete?: number;
}

const insertLength = (insert: unknown) => (typeof insert === 'string' ? insert.length : 1);

/**
 * Where `index` of the old text lands after `delta` was applied: shifted by what was inserted
 * before it and by what was deleted before it; text inserted exactly at `index` lands after
 * it (a caret stays where the person left it); inside a deleted range it goes to the
 * range's start.
 */
export function transformIndex(index: number, delta: readonly DeltaOp[]): number {
  let oldPos = 0;
  let newPos = 0;
  for (const op of delta) {
    if (op.retain !== undefined) {
      if (oldPos + op.retain >= index) return newPos + (index - oldPos);
      oldPos += op.retain;
      newPos += op.retain;
    } else if (op.insert !== undefined) {
      if (oldPos === index) return newPos;
      newPos += insertLength(op.insert);
    } else if (op.delete !== undefined) {
      if (oldPos + op.delete > index) return newPos;
      oldPos += op.delete;
    }
  }
  return newPos + (index - oldPos);
}

/** A half-open range [start, end) of code units. */
export interface TextRange {
  start: number;
  end: number;
}

/**
 * Where the old text's range [start, end) went after `delta`: the pieces of it that still
 * exist, in new-text indices, without anything the delta inserted inside it. Used to apply
 * a deletion the person made against text that has changed underneath (words another
 * person inserted into the range meanwhile are kept, not deleted unseen).
 */
export function transformRange(range: TextRange, delta: readonly DeltaOp[]): TextRange[] {
  const out: TextRange[] = [];
  const push = (start: number, end: number) => {
    if (end <= start) return;
    const last = out[out.length - 1];
    if (last && last.end === start) last.end = end;
    else out.push({ start, end });
  };
  let oldPos = 0;
  let newPos = 0;
  for (const op of delta) {
    if (oldPos >= range.end) break;
    if (op.retain !== undefined) {
      const from = Math.max(oldPos, range.start);
      const to = Math.min(oldPos + op.retain, range.end);
      push(newPos + (from - oldPos), newPos + (to - oldPos));
      oldPos += op.retain;
      newPos += op.retain;
    } else if (op.insert !== undefined) {
      newPos += insertLength(op.insert);
    } else if (op.delete !== undefined) {
      oldPos += op.delete;
    }
  }
  if (oldPos < range.end) {
    const from = Math.max(oldPos, range.start);
    push(newPos + (from - oldPos), newPos + (range.end - oldPos));
  }
  return out;
}
