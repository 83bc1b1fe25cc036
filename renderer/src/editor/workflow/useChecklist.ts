import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { readMeta } from '../../../../shared/doc/storyDoc';
import { runChecklist, type ChecklistResult } from '../../../../shared/workflow/checklist';
import { useNewsroom } from '../../state/newsroomStore';
import { rubrikNamePath } from './checklistView';

/** Re-evaluated at most this often while the user types with the checklist open. */
const RECHECK_MS = 100;

/** The story's checklist, now; the length target follows its rubrik as the directory names it. */
export function checklistNow(doc: Y.Doc): ChecklistResult {
  const rubrikPath = rubrikNamePath(useNewsroom.getState().directory, readMeta(doc).rubrikId);
  return runChecklist(doc, { rubrikPath });
}

/** The checklist, kept live while mounted: every fix the user makes shows at once. */
export function useChecklist(doc: Y.Doc): ChecklistResult {
  const [result, setResult] = useState(() => checklistNow(doc));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = () => {
      timer ??= setTimeout(() => {
        timer = null;
        setResult(checklistNow(doc));
      }, RECHECK_MS);
    };
    setResult(checklistNow(doc));
    doc.on('update', onUpdate);
    return () => {
      doc.off('update', onUpdate);
      if (timer) clearTimeout(timer);
    };
  }, [doc]);
  return result;
}
