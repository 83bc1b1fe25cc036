import type { CommentRecord, ReviewResult, StoryReviewResponse, ThreadState, VersionResponse, VersionResult, VersionSummary } from '../../shared/server-api/workflow';
import type { StoryStatus } from '../../shared/domain/story';
import type { Queryable } from '../db/database';
import { ApiError, forbidden, notFound } from '../http/apiError';
import type { Viewer } from '../stories/permissions';
import { STORY_FACTS_COLUMNS } from '../stories/storyRow';
import { canSee, readStoryRow, type WorkflowStoryRow } from './storyFacts';

interface VersionRow {
  id: string;
  story_id: string;
  kind: VersionSummary['kind'];
  created_by: string;
  created_at: Date;
}

const toVersion = (r: VersionRow): VersionSummary => ({ id: r.id, storyId: r.story_id, kind: r.kind, createdBy: r.created_by, createdAt: r.created_at.getTime() });

const NOT_YOURS = 'this story is not yours to read';
const NO_SUCH_VERSION = 'no such version of this story';

async function visibleStory(db: Queryable, viewer: Viewer, storyId: string) {
  const row = await readStoryRow(db, storyId, false);
  if (!row) throw notFound('story');
  if (!canSee(viewer, row)) throw forbidden(NOT_YOURS);
  return row;
}

interface CommentRow {
  id: string;
  story_id: string;
  thread_id: string;
  author_id: string;
  body: string;
  quote: string;
  created_at: Date;
}
interface ThreadOpRow {
  story_id: string;
  thread_id: string;
  kind: 'resolve' | 'reopen';
  user_id: string;
  received_at: Date;
}
interface EditorRow {
  story_id: string;
  user_id: string;
  first_at: Date;
  last_at: Date;
}
interface RevisionRow {
  note: string | null;
  user_id: string;
}

/** `GET /stories/:id/review`: status, revision note, comments, thread states and versions. */
export async function readReview(db: Queryable, viewer: Viewer, storyId: string): Promise<StoryReviewResponse> {
  const row = await visibleStory(db, viewer, storyId);
  const [lastRevision] =
    row.status === 'revision_requested'
      ? await db.query<RevisionRow>(
          "SELECT note, user_id FROM story_status_history WHERE story_id = $1 AND command = 'request_revision' ORDER BY seq DESC LIMIT 1",
          [storyId],
        )
      : [];
  const comments = await db.query<CommentRow>(
    'SELECT id, story_id, thread_id, author_id, body, quote, created_at FROM story_comments WHERE story_id = $1 ORDER BY seq',
    [storyId],
  );
  const ops = await db.query<ThreadOpRow>('SELECT story_id, thread_id, kind, user_id, received_at FROM story_thread_ops WHERE story_id = $1 ORDER BY seq', [storyId]);
  const versions = await db.query<VersionRow>('SELECT id, story_id, kind, created_by, created_at FROM story_versions WHERE story_id = $1 ORDER BY seq', [
    storyId,
  ]);

  const editors = await db.query<EditorRow>(
    `SELECT story_id, created_by AS user_id, min(created_at) AS first_at, max(created_at) AS last_at
       FROM story_updates WHERE story_id = $1 GROUP BY story_id, created_by ORDER BY max(created_at), created_by`,
    [storyId],
  );
  return assembleReview(storyId, row.status, lastRevision, comments, ops, versions, editors);
}

/**
 * `POST /reviews`: the reviews of `ids` in the order asked, each exactly as readReview answers
 * it for this viewer, or not_found / forbidden for that id alone. Read with one query per
 * table for the whole batch (a story's rows keep their order: each query sorts by the same
 * keys as readReview's), outside a transaction like readReview.
 */
export async function readReviews(db: Queryable, viewer: Viewer, ids: readonly string[]): Promise<ReviewResult[]> {
  const unique = [...new Set(ids)];
  const rows = new Map((await db.query<WorkflowStoryRow>(`SELECT ${STORY_FACTS_COLUMNS} FROM stories WHERE id = ANY($1::text[])`, [unique])).map((r) => [r.id, r]));
  const visible = unique.filter((id) => {
    const row = rows.get(id);
    return row !== undefined && canSee(viewer, row);
  });
  const reviews = new Map<string, StoryReviewResponse>();
  if (visible.length > 0) {
    const inRevision = visible.filter((id) => rows.get(id)!.status === 'revision_requested');
    const revisions =
      inRevision.length > 0
        ? await db.query<RevisionRow & { story_id: string }>(
            `SELECT DISTINCT ON (story_id) story_id, note, user_id FROM story_status_history
              WHERE story_id = ANY($1::text[]) AND command = 'request_revision' ORDER BY story_id, seq DESC`,
            [inRevision],
          )
        : [];
    const comments = await db.query<CommentRow>(
      'SELECT id, story_id, thread_id, author_id, body, quote, created_at FROM story_comments WHERE story_id = ANY($1::text[]) ORDER BY seq',
      [visible],
    );
    const ops = await db.query<ThreadOpRow>(
      'SELECT story_id, thread_id, kind, user_id, received_at FROM story_thread_ops WHERE story_id = ANY($1::text[]) ORDER BY seq',
      [visible],
    );
    const versions = await db.query<VersionRow>(
      'SELECT id, story_id, kind, created_by, created_at FROM story_versions WHERE story_id = ANY($1::text[]) ORDER BY seq',
      [visible],
    );
    const editors = await db.query<EditorRow>(
      `SELECT story_id, created_by AS user_id, min(created_at) AS first_at, max(created_at) AS last_at
         FROM story_updates WHERE story_id = ANY($1::text[]) GROUP BY story_id, created_by ORDER BY max(created_at), created_by`,
      [visible],
    );
    const revisionOf = new Map(revisions.map((r) => [r.story_id, r]));
    const commentsOf = groupByStory(comments);
    const opsOf = groupByStory(ops);
    const versionsOf = groupByStory(versions);
    const editorsOf = groupByStory(editors);
    for (const id of visible) {
      reviews.set(
        id,
        assembleReview(id, rows.get(id)!.status, revisionOf.get(id), commentsOf.get(id) ?? [], opsOf.get(id) ?? [], versionsOf.get(id) ?? [], editorsOf.get(id) ?? []),
      );
    }
  }
  return ids.map((id): ReviewResult => {
    const review = reviews.get(id);
    if (review) return { id, ok: true, review };
    // The same words as the single GET's 404 and 403.
    if (!rows.has(id)) return { id, ok: false, error: { code: 'not_found', message: notFound('story').message } };
    return { id, ok: false, error: { code: 'forbidden', message: NOT_YOURS } };
  });
}

function groupByStory<R extends { story_id: string }>(rows: readonly R[]): Map<string, R[]> {
  const byStory = new Map<string, R[]>();
  for (const row of rows) {
    const list = byStory.get(row.story_id);
    if (list) list.push(row);
    else byStory.set(row.story_id, [row]);
  }
  return byStory;
}

/** A story's review from its rows, each list in the order the server stored it. */
function assembleReview(
  storyId: string,
  status: string,
  lastRevision: RevisionRow | undefined,
  comments: readonly CommentRow[],
  ops: readonly ThreadOpRow[],
  versions: readonly VersionRow[],
  editors: readonly EditorRow[],
): StoryReviewResponse {
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
    status: status as StoryStatus,
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
  if (!version) throw new ApiError(404, 'not_found', NO_SUCH_VERSION);
  return { version: toVersion(version), state: Buffer.from(version.state).toString('base64') };
}

/**
 * `POST /versions`: the asked versions' documents in the order asked, each as readVersion
 * answers it for this viewer or refused alone; two queries for the whole batch.
 */
export async function readVersions(db: Queryable, viewer: Viewer, asked: ReadonlyArray<{ storyId: string; versionId: string }>): Promise<VersionResult[]> {
  const storyIds = [...new Set(asked.map((a) => a.storyId))];
  const rows = new Map((await db.query<WorkflowStoryRow>(`SELECT ${STORY_FACTS_COLUMNS} FROM stories WHERE id = ANY($1::text[])`, [storyIds])).map((r) => [r.id, r]));
  const readable = asked.filter((a) => {
    const row = rows.get(a.storyId);
    return row !== undefined && canSee(viewer, row);
  });
  const versions =
    readable.length > 0
      ? await db.query<VersionRow & { state: Uint8Array }>('SELECT id, story_id, kind, created_by, created_at, state FROM story_versions WHERE id = ANY($1::text[])', [
          [...new Set(readable.map((a) => a.versionId))],
        ])
      : [];
  const byId = new Map(versions.map((v) => [v.id, v]));
  return asked.map(({ storyId, versionId }): VersionResult => {
    const refused = (code: 'not_found' | 'forbidden', message: string): VersionResult => ({ storyId, versionId, ok: false, error: { code, message } });
    const row = rows.get(storyId);
    if (!row) return refused('not_found', notFound('story').message);
    if (!canSee(viewer, row)) return refused('forbidden', NOT_YOURS);
    const version = byId.get(versionId);
    // A version of another story is not this one's.
    if (!version || version.story_id !== storyId) return refused('not_found', NO_SUCH_VERSION);
    return { storyId, versionId, ok: true, version: toVersion(version), state: Buffer.from(version.state).toString('base64') };
  });
}
