import type { StoryStatus } from '../../shared/domain/story';
import type { ChangesResponse, StoryChange } from '../../shared/server-api/sync';
import type { Database, Queryable } from '../db/database';
import { readAccessEpoch } from './accessEpoch';
import { inChangeOrder } from './changeOrder';
import type { Viewer } from './permissions';

interface ChangeRow {
  id: string;
  created_by: string;
  headline: string;
  rubrik_id: string | null;
  redaktur_id: string | null;
  penulis_ids: string[];
  word_count: number;
  updated_at: Date;
  change_seq: string | number;
  status: StoryStatus;
}

/** canAccessStory in SQL, over three parameters from $n: role, user id, the rubrik the viewer edits. */
function visibleTo(n: number): string {
  const [role, id, rubrik] = [`$${n}`, `$${n + 1}`, `$${n + 2}`];
  return `(${role} = 'admin' OR created_by = ${id} OR ${id} = ANY (penulis_ids)
             OR (${role} = 'redaktur' AND (redaktur_id = ${id} OR rubrik_id = ANY (${rubrik}::text[]))))`;
}
const viewerParams = (viewer: Viewer) => [viewer.role, viewer.id, [...viewer.editedRubrikIds]];

/** The newest change number among the stories `viewer` can see (0 when none), and the directory version. */
export async function readLatestCursor(db: Queryable, viewer: Viewer): Promise<{ cursor: number; directoryVersion: number }> {
  const [row] = await db.query<{ cursor: string | number | null }>(`SELECT max(change_seq) AS cursor FROM stories WHERE ${visibleTo(1)}`, viewerParams(viewer));
  return { cursor: Number(row?.cursor ?? 0), directoryVersion: await readDirectoryVersion(db) };
}

async function readDirectoryVersion(db: Queryable): Promise<number> {
  const [version] = await db.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'directory_version'");
  return Number(version?.value ?? 0);
}

/**
 * The stories visible to `viewer` (the same rule as canAccessStory, in SQL) that changed
 * after `since`. A story that stops being visible (reassigned elsewhere) is not reported
 * here: the viewer's access epoch changes instead (see accessEpoch.ts).
 *
 * No change is ever skipped: the read waits until no smaller change number is still
 * uncommitted (inChangeOrder, changeOrder.ts), so everything at or below the cursor it
 * returns is already visible.
 */
export async function readChanges(db: Database, viewer: Viewer, since: number, limit: number): Promise<ChangesResponse> {
  const rows = await inChangeOrder(db, (q) =>
    q.query<ChangeRow>(
      `SELECT id, created_by, headline, rubrik_id, redaktur_id, penulis_ids, word_count, updated_at, change_seq, status
         FROM stories
        WHERE change_seq > $1
          AND ${visibleTo(2)}
        ORDER BY change_seq
        LIMIT $5`,
      [since, ...viewerParams(viewer), limit + 1],
    ),
  );
  const page = rows.slice(0, limit);
  const stories = page.map(
    (r): StoryChange => ({
      id: r.id,
      createdBy: r.created_by,
      headline: r.headline,
      rubrikId: r.rubrik_id,
      redakturId: r.redaktur_id,
      penulisIds: r.penulis_ids,
      wordCount: r.word_count,
      status: r.status,
      updatedAt: r.updated_at.getTime(),
      changeSeq: Number(r.change_seq),
    }),
  );
  return {
    stories,
    cursor: stories.at(-1)?.changeSeq ?? since,
    more: rows.length > limit,
    directoryVersion: await readDirectoryVersion(db),
    accessEpoch: await readAccessEpoch(db, viewer.id),
  };
}
