import type { Directory } from '../../../../shared/domain/newsroom';
import type { StoryPhoto } from '../../../../shared/doc/photos';
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

/** A stable key for an item (photo and placeholder items repeat, per photo or per field). */
export function checklistItemKey(item: ChecklistItem): string {
  return [item.id, item.field, item.photoId ?? ''].join(':');
}

const FIELD_SELECTORS: Partial<Record<ChecklistItem['field'], string>> = {
  headline: '[data-testid="field-headline"]',
  subheadline: '[data-testid="field-subheadline"]',
  lead: '[data-testid="field-lead"]',
  dateline: '[data-testid="field-dateline"]',
  rubrik: '[data-testid="select-rubrik"]',
  redaktur: '[data-testid="select-redaktur"]',
  body: '[data-testid="editor-body"]',
};

/**
 * Where an item leads, as CSS selectors in order (the first present in the editor wins):
 * a photo item goes to that photo's credit (placeholder in a caption: its caption), else
 * the photo itself, else any photo credit.
 */
export function checklistTargets(item: ChecklistItem, photos: readonly StoryPhoto[]): string[] {
  if (item.field === 'photo') {
    const photo = photos.find((p) => p.id === item.photoId);
    const input = item.id === 'placeholder' ? 'photo-caption' : 'photo-credit';
    const own = photo ? `[data-testid="photo-item"][data-sha256="${photo.sha256}"]` : null;
    return [...(own ? [`${own} [data-testid="${input}"]`, own] : []), `[data-testid="${input}"]`, '[data-testid="photo-item"]'];
  }
  const selector = FIELD_SELECTORS[item.field];
  return selector ? [selector] : [];
}

/** A failure code from the server's `checklist_failed` (e.g. `photo_credit:<id>`, `placeholder:body`) down to its rule. */
export function failureRule(code: string): string {
  return code.split(':')[0] ?? code;
}

/** The rubrik's names from the top of the tree down (for its length target), or none when unknown. */
export function rubrikNamePath(directory: Directory, rubrikId: string | null): string[] {
  const byId = new Map(directory.rubrik.map((r) => [r.id, r]));
  const names: string[] = [];
  const seen = new Set<string>();
  for (let r = rubrikId ? byId.get(rubrikId) : undefined; r && !seen.has(r.id); r = r.parentId ? byId.get(r.parentId) : undefined) {
    seen.add(r.id);
    names.unshift(r.name);
  }
  return names;
}
