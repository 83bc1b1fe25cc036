import type * as Y from 'yjs';
import { readPhotos } from '../doc/photos';
import { bodyPlainText, readMeta } from '../doc/storyDoc';
import { countWords } from '../text/wordCount';

/**
 * The pre-submit checklist (issue 9, `submit-checklist`): what a newsroom checks before a
 * story goes to the desk. Pure: it reads the story's Y.Doc (no editor, no DOM), so the
 * renderer shows it, core and the server enforce the same blocking rules on submit.
 *
 * - blocking: headline, rubrik, redaktur, dateline, a credit on every photo, no leftover
 *   placeholders ("TK" = to come, "XXX") in any text;
 * - warning (a judgement, submit goes on): the body's length against the rubrik's target.
 */

/** Where an item leads the user to fix it (the UI focuses that field; `photo` names the photo). */
export type ChecklistField = 'headline' | 'subheadline' | 'kicker' | 'lead' | 'dateline' | 'rubrik' | 'redaktur' | 'body' | 'photo';

export type ChecklistItemId = 'headline' | 'rubrik' | 'redaktur' | 'dateline' | 'photo_credit' | 'placeholder' | 'length';

export interface ChecklistItem {
  /** Stable per rule; `photo_credit` and `placeholder` items repeat once per photo or field. */
  id: ChecklistItemId;
  severity: 'blocking' | 'warning';
  /** True when the story passes this item. */
  ok: boolean;
  field: ChecklistField;
  /** The photo the item is about (`photo_credit`, or a placeholder in a caption). */
  photoId?: string;
  /** The placeholder found (`placeholder`). */
  placeholder?: string;
  /** For `length`: the body's words and the target it is measured against. */
  words?: number;
  target?: number;
}

export interface ChecklistResult {
  items: ChecklistItem[];
  /** Blocking items that fail: submit is refused while any remain. */
  blocking: ChecklistItem[];
  warnings: ChecklistItem[];
}

export interface ChecklistContext {
  /**
   * The story's rubrik as names from the top of the tree down (e.g. ['Ekonomi', 'Industri',
   * 'Otomotif']), for its default length target; unknown or empty: the general default.
   */
  rubrikPath?: readonly string[];
}

/** Words a story of this rubrik usually runs to (the nearest named ancestor wins). */
export const RUBRIK_LENGTH_TARGETS: Readonly<Record<string, number>> = {
  Nasional: 600,
  Mondial: 600,
  Ekonomi: 600,
  Megapolitan: 500,
  Olahraga: 500,
  Rona: 700,
  Kupas: 1200,
  Wisata: 800,
  Perspektif: 700,
  'Tajuk Rencana': 500,
  'Surat Pembaca': 250,
  Wawancara: 1200,
  'Edisi Weekend': 1200,
  Foto: 150,
  Video: 200,
  Infografis: 200,
};
export const DEFAULT_LENGTH_TARGET = 600;
/** Within this share of the target either way, the length is fine (no warning). */
export const LENGTH_TOLERANCE = 0.2;

/**
 * "TK" (to come) and "XXX" as whole words, upper case only: the marks a reporter leaves for
 * a fact still to check. Lower-case "tk" and words that merely contain the letters pass.
 * (A real "TK", a kindergarten, also stops submit: the reporter writes it out or rewords.)
 */
const PLACEHOLDER = /(?<![\p{L}\p{N}])(TK|X{3,})(?![\p{L}\p{N}])/u;

export function lengthTargetFor(meta: { lengthTarget: number | null }, context: ChecklistContext = {}): number {
  if (meta.lengthTarget !== null && meta.lengthTarget > 0) return meta.lengthTarget;
  for (const name of [...(context.rubrikPath ?? [])].reverse()) {
    const target = RUBRIK_LENGTH_TARGETS[name];
    if (target !== undefined) return target;
  }
  return DEFAULT_LENGTH_TARGET;
}

export function runChecklist(doc: Y.Doc, context: ChecklistContext = {}): ChecklistResult {
  const meta = readMeta(doc);
  const body = bodyPlainText(doc);
  const photos = readPhotos(doc);
  const items: ChecklistItem[] = [
    { id: 'headline', severity: 'blocking', ok: meta.headline.trim() !== '', field: 'headline' },
    { id: 'rubrik', severity: 'blocking', ok: meta.rubrikId !== null, field: 'rubrik' },
    { id: 'redaktur', severity: 'blocking', ok: meta.redakturId !== null, field: 'redaktur' },
    { id: 'dateline', severity: 'blocking', ok: meta.dateline.trim() !== '', field: 'dateline' },
  ];
  for (const photo of photos) {
    items.push({ id: 'photo_credit', severity: 'blocking', ok: photo.credit.trim() !== '', field: 'photo', photoId: photo.id });
  }

  const texts: Array<{ field: ChecklistField; text: string; photoId?: string }> = [
    { field: 'headline', text: meta.headline },
    { field: 'subheadline', text: meta.subheadline },
    { field: 'kicker', text: meta.kicker },
    { field: 'dateline', text: meta.dateline },
    { field: 'lead', text: meta.lead },
    { field: 'body', text: body },
    ...photos.map((p) => ({ field: 'photo' as const, text: `${p.caption}\n${p.credit}`, photoId: p.id })),
  ];
  let placeholders = 0;
  for (const t of texts) {
    const found = PLACEHOLDER.exec(t.text);
    if (!found) continue;
    placeholders++;
    items.push({ id: 'placeholder', severity: 'blocking', ok: false, field: t.field, placeholder: found[1]!, ...(t.photoId ? { photoId: t.photoId } : {}) });
  }
  if (placeholders === 0) items.push({ id: 'placeholder', severity: 'blocking', ok: true, field: 'body' });

  const words = countWords(body);
  const target = lengthTargetFor(meta, context);
  const lengthOk = Math.abs(words - target) <= target * LENGTH_TOLERANCE;
  items.push({ id: 'length', severity: 'warning', ok: lengthOk, field: 'body', words, target });

  return {
    items,
    blocking: items.filter((i) => i.severity === 'blocking' && !i.ok),
    warnings: items.filter((i) => i.severity === 'warning' && !i.ok),
  };
}

/**
 * The blocking failures as the server reports them in `checklist_failed` (CommandResult
 * `failures`): the item id, with the field (and photo) for the repeating ones,
 * e.g. `headline`, `photo_credit:<photo id>`, `placeholder:body`.
 */
export function blockingFailureCodes(result: ChecklistResult): string[] {
  return result.blocking.map((i) => {
    if (i.id === 'photo_credit') return `photo_credit:${i.photoId}`;
    if (i.id === 'placeholder') return i.photoId ? `placeholder:photo:${i.photoId}` : `placeholder:${i.field}`;
    return i.id;
  });
}
