import type { CommentOp, CommentOpResult } from '../../shared/server-api/workflow';
import type { Database, Queryable } from '../db/database';
import type { Viewer } from '../stories/permissions';
import { markStoryChanged } from './storyChanged';
import { canSee, readStoryRow } from './storyFacts';

/**
 * One comment operation, in one transaction: anyone who may see the story may comment on it
 * and resolve or reopen its threads. An id seen before answers ok and writes nothing (a
 * post with that id but other content, or by someone else, is a `conflict`); a reply or a
 * resolve names a thread the story must have.
 */
export function applyCommentOp(db: Database, viewer: Viewer, op: CommentOp, now: number): Promise<CommentOpResult> {
  return db.transaction(async (tx): Promise<CommentOpResult> => {
    const seen = await seenBefore(tx, viewer, op);
    if (seen !== null) return seen;
    const row = await readStoryRow(tx, op.storyId, true);
    if (!row) return { id: op.id, ok: false, error: { code: 'not_found', message: 'no such story on the server' } };
    if (!canSee(viewer, row)) return { id: op.id, ok: false, error: { code: 'forbidden', message: 'this story is not yours to comment on' } };
    const opensThread = op.kind === 'post' && op.threadId === op.id;
    if (!opensThread && !(await threadExists(tx, op.storyId, op.threadId))) {
      return { id: op.id, ok: false, error: { code: 'not_found', message: 'no such thread on this story' } };
    }
    const at = new Date(now);
    if (op.kind === 'post') {
      await tx.query(
        `INSERT INTO story_comments (id, story_id, thread_id, author_id, body, quote, created_at, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [op.id, op.storyId, op.threadId, viewer.id, op.body, op.quote, new Date(op.createdAt), at],
      );
    } else {
      await tx.query(
        `INSERT INTO story_thread_ops (id, story_id, thread_id, kind, user_id, created_at, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [op.id, op.storyId, op.threadId, op.kind, viewer.id, new Date(op.createdAt), at],
      );
    }
    await markStoryChanged(db, tx, row, now);
    return { id: op.id, ok: true };
  });
}

async function seenBefore(tx: Queryable, viewer: Viewer, op: CommentOp): Promise<CommentOpResult | null> {
  const conflict: CommentOpResult = { id: op.id, ok: false, error: { code: 'conflict', message: 'this id was used for another comment operation' } };
  const [comment] = await tx.query<{ story_id: string; thread_id: string; author_id: string; body: string }>(
    'SELECT story_id, thread_id, author_id, body FROM story_comments WHERE id = $1',
    [op.id],
  );
  const [threadOp] = await tx.query<{ story_id: string; thread_id: string; user_id: string; kind: string }>(
    'SELECT story_id, thread_id, user_id, kind FROM story_thread_ops WHERE id = $1',
    [op.id],
  );
  if (comment) {
    const same = op.kind === 'post' && comment.story_id === op.storyId && comment.thread_id === op.threadId && comment.author_id === viewer.id && comment.body === op.body;
    return same ? { id: op.id, ok: true } : conflict;
  }
  if (threadOp) {
    const same = op.kind === threadOp.kind && threadOp.user_id === viewer.id && threadOp.story_id === op.storyId && threadOp.thread_id === op.threadId;
    return same ? { id: op.id, ok: true } : conflict;
  }
  return null;
}

async function threadExists(tx: Queryable, storyId: string, threadId: string): Promise<boolean> {
  const rows = await tx.query('SELECT 1 FROM story_comments WHERE story_id = $1 AND id = $2', [storyId, threadId]);
  return rows.length > 0;
}
