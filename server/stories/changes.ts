import type { ChangesResponse, StoryChange } from '../../shared/server-api/sync';
import type { Queryable } from '../db/database';
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
}

/**
 * The stories visible to `viewer` (the same rule as canAccessStory, in SQL) that changed
 * after `since`. A story that stops being visible (reassigned elsewhere) is not reported.
 *
 * No change is ever skipped: change numbers commit in the order they are drawn (see
 * serialiseChangeSeq in syncStory.ts), so everything at or below a cursor read here is
 * already visible.
 */
export async function readChanges(db: Queryable, viewer: Viewer, since: number, limit: number): Promise<ChangesResponse> {
  const rows = await db.query<ChangeRow>(
    `SELECT id, created_by, headline, rubrik_id, redaktur_id, penulis_ids, word_count, updated_at, change_seq
       FROM stories
      WHERE change_seq > $1
        AND ($2 = 'admin' OR created_by = $3 OR $3 = ANY (penulis_ids)
             OR ($2 = 'redaktur' AND (redaktur_id = $3 OR rubrik_id = ANY ($4::text[]))))
      ORDER BY change_seq
      LIMIT $5`,
    [since, viewer.role, viewer.id, [...viewer.editedRubrikIds], limit + 1],
  );
  const [version] = await db.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'directory_version'");
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
      updatedAt: r.updated_at.getTime(),
      changeSeq: Number(r.change_seq),
    }),
  );
  return { stories, cursor: stories.at(-1)?.changeSeq ?? since, more: rows.length > limit, directoryVersion: Number(version?.value ?? 0) };
}
