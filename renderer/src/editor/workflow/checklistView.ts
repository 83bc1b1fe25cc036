import type { ChecklistItem } from '../../../../shared/workflow/checklist';
import type { WorkflowCommand } from '../../../../shared/workflow/rules';

/** Pure helpers for the workflow UI: no React, no core. */

/** A command's button (UI contract): `action-submit`, `action-request-revision`, … */
export function actionTestId(command: WorkflowCommand): string {
  return `action-${command.replace(/_/g, '-')}`;
}

/** Commands that move the story forward get the primary look; spike is the quiet one. */
export function actionTone(command: WorkflowCommand): 'primary' | 'plain' | 'quiet' {
  if (command === 'spike') return 'quiet';
  if (command === 'request_revision' || command === 'restore') return 'plain';
  return 'primary';
}

/** Where a placeholder was found (`TK@lead` → { mark: 'TK', place: 'lead' }). */
export function placeholderDetail(detail: string | undefined): { mark: string; place: string } | null {
  const at = detail?.lastIndexOf('@') ?? -1;
  if (!detail || at <= 0) return null;
  return { mark: detail.slice(0, at), place: detail.slice(at + 1) };
}

/** Two counts (`5/600`) of a length or photo item. */
export function countPair(detail: string | undefined): [number, number] | null {
  const m = /^(\d+)\/(\d+)$/.exec(detail ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

const FIELD_TEST_IDS: Record<string, string> = {
  headline: 'field-headline',
  subheadline: 'field-subheadline',
  lead: 'field-lead',
  dateline: 'field-dateline',
  rubrik: 'select-rubrik',
  redaktur: 'select-redaktur',
  body: 'editor-body',
};

/**
 * The element an item leads to, as candidate `data-testid`s in order (the first present in
 * the editor wins): a photo item goes to the first empty credit, else the photo panel.
 */
export function checklistTargets(item: ChecklistItem): string[] {
  const place = item.id === 'placeholders' ? placeholderDetail(item.detail)?.place : undefined;
  const field = place ?? item.field;
  if (field === 'photos') return ['photo-credit', 'photo-item'];
  if (field && FIELD_TEST_IDS[field]) return [FIELD_TEST_IDS[field]];
  return [];
}

/** A failure code from the server's `checklist_failed` (e.g. `photo_credit:<id>`, `placeholder:body`) down to its rule. */
export function failureRule(code: string): string {
  const rule = code.split(':')[0] ?? code;
  if (rule === 'photo_credits') return 'photo_credit';
  if (rule === 'placeholders') return 'placeholder';
  return rule;
}
