import type * as Y from 'yjs';
import type { StoryRelation } from '../../shared/workflow/rules';
import type { Queryable } from '../db/database';
import { canAccessStory, type Viewer } from '../stories/permissions';
import { STORY_FACTS_COLUMNS, type StoryFactsRow } from '../stories/storyRow';
import { loadServerDoc } from '../stories/storyState';

/** A story's row as workflow decisions read it. */
export type WorkflowStoryRow = StoryFactsRow;

const COLUMNS = STORY_FACTS_COLUMNS;

/** The story's row; `lock` takes its row lock for the rest of the transaction (commands, comments). */
export async function readStoryRow(tx: Queryable, storyId: string, lock: boolean): Promise<WorkflowStoryRow | undefined> {
  const [row] = await tx.query<WorkflowStoryRow>(`SELECT ${COLUMNS} FROM stories WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [storyId]);
  return row;
}

export function canSee(viewer: Viewer, row: WorkflowStoryRow): boolean {
  return canAccessStory(viewer, { createdBy: row.created_by, rubrikId: row.rubrik_id, redakturId: row.redaktur_id, penulisIds: row.penulis_ids });
}

/**
 * How the viewer stands to the story for shared/workflow/rules.ts: author when they created it
 * or are in its byline; assigned when they are its redaktur or edit its rubrik (the viewer's
 * rubrik set holds every sub-rubrik of the ones assigned).
 */
export function relationOf(viewer: Viewer, row: WorkflowStoryRow): StoryRelation {
  return {
    role: viewer.role,
    isAuthor: row.created_by === viewer.id || row.penulis_ids.includes(viewer.id),
    isAssignedRedaktur: row.redaktur_id === viewer.id || (row.rubrik_id !== null && viewer.editedRubrikIds.has(row.rubrik_id)),
  };
}

/** The story's whole document as the server holds it (its stored document, else its merged update log). */
export async function loadStoryDoc(tx: Queryable, storyId: string): Promise<Y.Doc> {
  const [row] = await tx.query<{ doc_state: Uint8Array | null }>('SELECT doc_state FROM stories WHERE id = $1', [storyId]);
  return loadServerDoc(tx, storyId, row);
}
