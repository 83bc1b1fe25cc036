import type { CommentRecord, StoryReviewResponse, ThreadState, VersionResponse, VersionSummary } from '../../shared/server-api/workflow';
import type { StoryStatus } from '../../shared/domain/story';
import type { Queryable } from '../db/database';
import { ApiError, forbidden, notFound } from '../http/apiError';
import type { Viewer } from '../stories/permissions';
import { canSee, readStoryRow } from './storyFacts';

interface VersionRow {
  id: string;
  story_id: string;
  kind: VersionSummary['kind'];
  created_by: string;
  created_at: Date;
}

const toVersion = (r: VersionRow): VersionSummary => ({ id: r.id, storyId: r.story_id, kind: r.kind, createdBy: r.created_by, createdAt: r.created_at.getTime() });

async function visibleStory(db: Queryable, viewer: Viewer, storyId: string) {
  const row = await readStoryRow(db, storyId, false);
  if (!row) throw notFound('story');
  if (!canSee(viewer, row)) throw forbidden('this story is not yours to read');
  return row;
}

/** `GET /stories/:id/review`: status, revision note, comments, thread states and versions. */
export async function readReview(db: Queryable, viewer: Viewer, storyId: string): Promise<StoryReviewResponse> {
  const row = await visibleStory(db, viewer, storyId);
  const [lastRevision] =
    row.status === 'revision_requested'
      ? await db.query<{ note: string | null; user_id: string }>(
          "SELECT note, user_id FROM story_status_history WHERE story_id = $1 AND command = 'request_revision' ORDER BY seq DESC LIMIT 1",
          [storyId],
        )
      : [];
  const comments = await db.query<{ id: string; thread_id: string; author_id: string; body: string; quote: string; created_at: Date }>(
    'SELECT id, thread_id, author_id, body, quote, created_at FROM story_comments WHERE story_id = $1 ORDER BY seq',
    [storyId],
  );
  const ops = await db.query<{ thread_id: string; kind: 'resolve' | 'reopen'; user_id: string; received_at: Date }>(
    'SELECT thread_id, kind, user_id, received_at FROM story_thread_ops WHERE story_id = $1 ORDER BY seq',
    [storyId],
  );
  const versions = await db.query<VersionRow>('SELECT id, story_id, kind, created_by, created_at FROM story_versions WHERE story_id = $1 ORDER BY seq', [
    storyId,
  ]);

  const editors = await db.query<{ user_id: string; first_at: Date; last_at: Date }>(
    `SELECT created_by AS user_id, min(created_at) AS first_at, max(created_at) AS last_at
       FROM story_updates WHERE story_id = $1 GROUP BY created_by ORDER BY max(created_at), created_by`,
    [storyId],
  );

  const threads = new Map<string, ThreadState>();
  for (const c of comments) if (c.id === c.thread_id) threads.set(c.id, { threadId: c.id, resolved: false, resolvedBy: null, resolvedAt: null });
  // The last operation the server received decides a thread's state.
  for (const op of ops) {
    if (!threads.has(op.thread_id)) continue;
    threads.set(
      op.thread_id,
      op.kind === 'resolve'
        ? { threadId: op.thread_id, resolved: true, resolvedBy: op.user_id, resolvedAt: op.received_at.getTime() }
        : { threadId: op.thread_id, resolved: false, resolvedBy: null, resolvedAt: null },
    );
  }
  return {
    storyId,
    status: row.status as StoryStatus,
    revisionNote: lastRevision?.note ?? null,
    revisionNoteBy: lastRevision?.user_id ?? null,
    comments: comments.map(
      (c): CommentRecord => ({ id: c.id, storyId, threadId: c.thread_id, authorId: c.author_id, body: c.body, quote: c.quote, createdAt: c.created_at.getTime() }),
    ),
    threads: [...threads.values()],
    versions: versions.map(toVersion),
    editors: editors.map((e) => ({ userId: e.user_id, firstAt: new Date(e.first_at).getTime(), lastAt: new Date(e.last_at).getTime() })),
  };
}

/** `GET /stories/:id/versions/:versionId`: the document as it was kept then. */
export async function readVersion(db: Queryable, viewer: Viewer, storyId: string, versionId: string): Promise<VersionResponse> {
  await visibleStory(db, viewer, storyId);
  const [version] = await db.query<VersionRow & { state: Uint8Array }>(
    'SELECT id, story_id, kind, created_by, created_at, state FROM story_versions WHERE story_id = $1 AND id = $2',
    [storyId, versionId],
  );
  if (!version) throw new ApiError(404, 'not_found', 'no such version of this story');
  return { version: toVersion(version), state: Buffer.from(version.state).toString('base64') };
}
