import type * as Y from 'yjs';
import { applyEditToText, upgradeLegacyMetaText } from '../../../shared/doc/metaText';
import { getMetaMap, getMetaText, readMetaText, type MetaProseField } from '../../../shared/doc/storyDoc';
import { diffText, transformIndex, transformRange, type DeltaOp, type TextEdit } from '../../../shared/doc/textDiff';

/** Origin of edits typed into the meta fields (local: the push queue sends them). */
export const META_FIELD_ORIGIN = Symbol('meta-field');

/** What the binding needs of an <input> or <textarea> (so it can be tested without a DOM). */
export interface TextFieldElement {
  value: string;
  readonly selectionStart: number | null;
  readonly selectionEnd: number | null;
  readonly selectionDirection: 'forward' | 'backward' | 'none' | null;
  setSelectionRange(start: number, end: number, direction?: 'forward' | 'backward' | 'none'): void;
}

/**
 * Binds one text input to a prose field's Y.Text (headline, subheadline, kicker, lead).
 *
 * - What the person types becomes the smallest delete + insert (diffText against what the
 *   field showed), so an edit made elsewhere in the same field meanwhile is merged, not
 *   overwritten.
 * - Changes from elsewhere (core after a reconnect, unsent edits replayed at open) are
 *   written into the field with the caret and selection moved along with the text.
 * - During IME composition (e.g. a Japanese or Chinese input method) the field belongs to
 *   the input method: nothing is written to it, and the composed text is committed once,
 *   at compositionend, against whatever the text became meanwhile.
 * - The browser's own undo of the field keeps working: while the person types, the field's
 *   value is never rewritten (an undo is just another input).
 *
 * The input is uncontrolled (React never sets its value): this binding is its only writer.
 */
export class MetaTextBinding {
  private readonly text: Y.Text;
  private readonly meta: Y.Map<unknown>;
  /** What the field showed the last time it and the document agreed. */
  private shown: string;
  private composing = false;
  /** Changes from elsewhere that arrived during a composition, not yet in the field. */
  private unseen: DeltaOp[][] = [];
  private unseenWhole = false;
  private applying = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly field: MetaProseField,
    private readonly element: TextFieldElement,
    private readonly hasFocus: () => boolean,
  ) {
    this.text = getMetaText(doc, field);
    this.meta = getMetaMap(doc);
    this.shown = readMetaText(doc, field);
    element.value = this.shown;
    this.text.observe(this.onText);
    this.meta.observe(this.onMeta);
  }

  /** The field's value changed by the person (input event). */
  input(): void {
    if (!this.composing) this.commit();
  }

  compositionStart(): void {
    this.composing = true;
  }

  compositionEnd(): void {
    this.composing = false;
    this.commit();
    if (this.unseen.length > 0 || this.unseenWhole) {
      this.unseen = [];
      this.unseenWhole = false;
      this.refresh(null);
    }
  }

  destroy(): void {
    this.text.unobserve(this.onText);
    this.meta.unobserve(this.onMeta);
  }

  private commit(): void {
    const next = this.element.value;
    const edit = diffText(this.shown, next);
    if (!edit) return;
    this.applying = true;
    try {
      // A story still holding this field as an old-style string: move it into the text
      // first (what the field shows does not change), then edit the text.
      upgradeLegacyMetaText(this.doc, this.field, META_FIELD_ORIGIN);
      this.doc.transact(() => applyMappedEdit(this.text, edit, this.unseen), META_FIELD_ORIGIN);
    } finally {
      this.applying = false;
    }
    this.shown = next;
  }

  private readonly onText = (event: Y.YTextEvent): void => {
    if (this.applying) return;
    if (this.composing) {
      this.unseen.push(event.delta as DeltaOp[]);
      return;
    }
    this.refresh(event.delta as DeltaOp[]);
  };

  private readonly onMeta = (event: Y.YMapEvent<unknown>): void => {
    if (this.applying || !event.keysChanged.has(this.field)) return;
    if (this.composing) this.unseenWhole = true;
    else this.refresh(null);
  };

  /**
   * Shows the document's value, moving the selection through `delta` (the change as Yjs
   * reports it) or, without one, through the smallest edit between the old and new value.
   */
  private refresh(delta: DeltaOp[] | null): void {
    const value = readMetaText(this.doc, this.field);
    const current = this.element.value;
    if (value === current) {
      this.shown = value;
      return;
    }
    const moves = delta && this.shown === current ? delta : editAsDelta(diffText(current, value));
    const { selectionStart, selectionEnd, selectionDirection } = this.element;
    const focused = this.hasFocus();
    this.element.value = value;
    this.shown = value;
    if (focused && selectionStart !== null && selectionEnd !== null) {
      this.element.setSelectionRange(
        Math.min(transformIndex(selectionStart, moves), value.length),
        Math.min(transformIndex(selectionEnd, moves), value.length),
        selectionDirection ?? undefined,
      );
    }
  }
}

function editAsDelta(edit: TextEdit | null): DeltaOp[] {
  if (!edit) return [];
  const ops: DeltaOp[] = [];
  if (edit.index > 0) ops.push({ retain: edit.index });
  if (edit.deleteCount > 0) ops.push({ delete: edit.deleteCount });
  if (edit.insert) ops.push({ insert: edit.insert });
  return ops;
}

/**
 * Applies an edit computed against an older version of the text, after `changes` happened
 * to it: the insert goes where its position moved to, and only the characters the person
 * saw are deleted (words inserted into that range by someone else stay).
 */
export function applyMappedEdit(text: Y.Text, edit: TextEdit, changes: readonly DeltaOp[][]): void {
  if (changes.length === 0) {
    applyEditToText(text, edit);
    return;
  }
  let at = edit.index;
  let ranges = edit.deleteCount > 0 ? [{ start: edit.index, end: edit.index + edit.deleteCount }] : [];
  for (const delta of changes) {
    at = transformIndex(at, delta);
    ranges = ranges.flatMap((r) => transformRange(r, delta));
  }
  // Ranges lie at or after `at` (a change inserted exactly at it stays before it): delete
  // from the end so earlier positions hold.
  for (const r of [...ranges].reverse()) text.delete(r.start, r.end - r.start);
  if (edit.insert) text.insert(at, edit.insert);
}
