import type * as Y from 'yjs';
import { giveCommand, openPanel, useReview } from '../../state/reviewStore';
import { checklistNow } from './useChecklist';

/**
 * Submit in two steps: the first press (the button or Ctrl/Cmd+Enter) opens the pre-submit
 * checklist; a press with the checklist open sends the story, unless a blocking item fails.
 */
export function pressSubmit(doc: Y.Doc): 'not_allowed' | 'opened' | 'blocked' | 'sent' {
  const { panel, review } = useReview.getState();
  if (!review?.allowed.includes('submit')) return 'not_allowed';
  if (panel !== 'checklist') {
    openPanel('checklist');
    return 'opened';
  }
  if (checklistNow(doc).blocking.length > 0) return 'blocked';
  void giveCommand('submit');
  return 'sent';
}
