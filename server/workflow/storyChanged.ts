import type { Database, Queryable } from '../db/database';
import { publishChange } from '../notify/changeEvents';
import { NEXT_CHANGE_SEQ } from '../stories/changeOrder';
import type { WorkflowStoryRow } from './storyFacts';

/**
 * A status or comment change: the story takes a new change number (so GET /changes lists it
 * and clients fetch its review) and online clients hear of it. Inside the writing transaction,
 * after its other writes, like a document change.
 */
export async function markStoryChanged(db: Database, tx: Queryable, row: WorkflowStoryRow, now: number): Promise<void> {
  const [written] = await tx.query<{ change_seq: string | number }>(
    // The number is drawn inside the UPDATE that stores it (see changeOrder.ts).
    `UPDATE stories SET change_seq = ${NEXT_CHANGE_SEQ}, updated_at = $2 WHERE id = $1 RETURNING change_seq`,
    [row.id, new Date(now)],
  );
  await publishChange(tx, {
    kind: 'story',
    seq: Number(written!.change_seq),
    storyId: row.id,
    createdBy: row.created_by,
    rubrikId: row.rubrik_id,
    redakturId: row.redaktur_id,
    penulisIds: row.penulis_ids,
  });
}
