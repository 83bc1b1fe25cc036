import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { evaluateChecklist, type ChecklistItem } from '../../../../shared/workflow/checklist';

/** Re-evaluated at most this often while the user types with the checklist open. */
const RECHECK_MS = 100;

/** The story's checklist, now. The length target is the story's own (meta), when it has one. */
export function checklistNow(doc: Y.Doc): ChecklistItem[] {
  return evaluateChecklist(doc, { lengthTargetWords: null });
}

/** The checklist, kept live while mounted: every fix the user makes shows at once. */
export function useChecklist(doc: Y.Doc): ChecklistItem[] {
  const [items, setItems] = useState(() => checklistNow(doc));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = () => {
      timer ??= setTimeout(() => {
        timer = null;
        setItems(checklistNow(doc));
      }, RECHECK_MS);
    };
    setItems(checklistNow(doc));
    doc.on('update', onUpdate);
    return () => {
      doc.off('update', onUpdate);
      if (timer) clearTimeout(timer);
    };
  }, [doc]);
  return items;
}
