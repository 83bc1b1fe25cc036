import type * as Y from 'yjs';
import { readPhotos } from '../doc/photos';
import { bodyPlainText, readMeta } from '../doc/storyDoc';
import { countWords } from '../text/wordCount';

/**
 * The pre-submit checklist (issue 9, `submit-checklist`): what a newsroom checks before a
 * story goes to the desk. Pure (reads the story's Y.Doc; no editor, no DOM), so the renderer
 * shows it and the server can enforce the same blocking rules.
 *
 * Blocking: headline, rubrik, redaktur, dateline, a credit on every photo, no leftover
 * placeholders ("TK" = to come, "XXX") in any text. Warning only (a judgement): the body's
 * length against the story's length target.
 */

export const CHECKLIST_ITEM_IDS = ['headline', 'rubrik', 'redaktur', 'dateline', 'photo_credits', 'placeholders', 'length'] as const;
export type ChecklistItemId = (typeof CHECKLIST_ITEM_IDS)[number];

/** Where an item leads the user to fix it; null when no single field does. */
export type ChecklistField = 'headline' | 'rubrik' | 'redaktur' | 'dateline' | 'photos' | 'body' | null;

export interface ChecklistItem {
  id: ChecklistItemId;
  ok: boolean;
  /** Submit waits while a blocking item fails; a failing warning only asks for a look. */
  blocking: boolean;
  field: ChecklistField;
  /**
   * Facts for the message, not words: `photo_credits` "<missing>/<photos>"; `placeholders`
   * the mark found and where, "TK@lead"; `length` "<words>/<target>".
   */
  detail?: string;
}

export interface ChecklistOptions {
  /** The words the story should run to; null or absent: the story's own target (meta), else none. */
  lengthTargetWords?: number | null;
}

/** Within this share of the target either way, the length needs no second look. */
export const LENGTH_TOLERANCE = 0.2;

/**
 * "TK" and "XXX" (or more X) as whole words, upper case: the marks a reporter leaves for a
 * fact still to check. Lower-case "tk" and words merely containing the letters pass.
 */
const PLACEHOLDER = /(?<![\p{L}\p{N}])(TK|X{3,})(?![\p{L}\p{N}])/u;

type TextPlace = 'headline' | 'subheadline' | 'kicker' | 'dateline' | 'lead' | 'body' | 'photos';

/** Where a place's text is fixed, within the fields an item can lead to. */
const FIELD_OF_PLACE: Record<TextPlace, ChecklistField> = {
  headline: 'headline',
  subheadline: null,
  kicker: null,
  dateline: 'dateline',
  lead: null,
  body: 'body',
  photos: 'photos',
};

export function evaluateChecklist(doc: Y.Doc, options: ChecklistOptions = {}): ChecklistItem[] {
  const meta = readMeta(doc);
  const body = bodyPlainText(doc);
  const photos = readPhotos(doc);

  const missingCredits = photos.filter((p) => p.credit.trim() === '').length;

  const texts: Array<[TextPlace, string]> = [
    ['headline', meta.headline],
    ['subheadline', meta.subheadline],
    ['kicker', meta.kicker],
    ['dateline', meta.dateline],
    ['lead', meta.lead],
    ['body', body],
    ...photos.map((p): [TextPlace, string] => ['photos', `${p.caption}\n${p.credit}`]),
  ];
  let placeholder: ChecklistItem = { id: 'placeholders', ok: true, blocking: true, field: 'body' };
  for (const [place, text] of texts) {
    const found = PLACEHOLDER.exec(text);
    if (!found) continue;
    placeholder = { id: 'placeholders', ok: false, blocking: true, field: FIELD_OF_PLACE[place], detail: `${found[1]}@${place}` };
    break;
  }

  const target = options.lengthTargetWords ?? meta.lengthTarget;
  const words = countWords(body);
  const length: ChecklistItem =
    target !== null && target > 0
      ? { id: 'length', ok: Math.abs(words - target) <= target * LENGTH_TOLERANCE, blocking: false, field: 'body', detail: `${words}/${target}` }
      : { id: 'length', ok: true, blocking: false, field: 'body' };

  return [
    { id: 'headline', ok: meta.headline.trim() !== '', blocking: true, field: 'headline' },
    { id: 'rubrik', ok: meta.rubrikId !== null, blocking: true, field: 'rubrik' },
    { id: 'redaktur', ok: meta.redakturId !== null, blocking: true, field: 'redaktur' },
    { id: 'dateline', ok: meta.dateline.trim() !== '', blocking: true, field: 'dateline' },
    {
      id: 'photo_credits',
      ok: missingCredits === 0,
      blocking: true,
      field: 'photos',
      ...(photos.length > 0 ? { detail: `${missingCredits}/${photos.length}` } : {}),
    },
    placeholder,
    length,
  ];
}

/** Whether submit may go on: no blocking item fails. */
export function checklistPasses(items: readonly ChecklistItem[]): boolean {
  return items.every((i) => i.ok || !i.blocking);
}
