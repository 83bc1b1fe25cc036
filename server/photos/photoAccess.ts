import type { UploadVariant } from '../../shared/server-api/photos';
import type { Queryable } from '../db/database';
import type { AuthContext } from '../http/route';
import { canAccessStory, type StoryAccessFacts } from '../stories/permissions';
import { loadViewer } from '../stories/viewer';

interface AccessRow {
  uploaded: boolean;
  /** Null when no story references the photo (the one row then only says `uploaded`). */
  created_by: string | null;
  rubrik_id: string | null;
  redaktur_id: string | null;
  penulis_ids: string[] | null;
}

/**
 * In one statement: whether the user sent the photo's original (or the very file asked
 * for: the bytes they stored themselves, a web rendition too), and the access facts of
 * every story whose document references it (`stories.photo_sha256s`; the second condition,
 * implied by the first, names the partial GIN index's predicate so the planner uses it).
 * Always at least one row (the LEFT JOIN from a single row), so `uploaded` is there with no story.
 */
const PHOTO_ACCESS_SQL = `
SELECT (EXISTS (SELECT 1 FROM photo_uploaders WHERE sha256 = $1 AND user_id = $2)
        OR EXISTS (SELECT 1 FROM photo_files WHERE sha256 = $1 AND variant = $3 AND uploaded_by = $2)) AS uploaded,
       s.created_by, s.rubrik_id, s.redaktur_id, s.penulis_ids
FROM (SELECT 1) AS one
LEFT JOIN stories s ON s.photo_sha256s @> ARRAY[$1]::text[] AND s.photo_sha256s <> '{}'`;

/**
 * Whether `auth`'s user may read `variant` of the photo named `sha256`: an admin always;
 * anyone who sent its original (they hold the bytes) or stored this very file; anyone who may see (the story
 * permission rules, server/stories/permissions.ts) at least one story whose document
 * references it. A redaktur's rubrik are read only when a story's assignment does not
 * already decide.
 */
export async function mayReadPhoto(db: Queryable, auth: AuthContext, sha256: string, variant: UploadVariant): Promise<boolean> {
  if (auth.user.role === 'admin') return true;
  const rows = await db.query<AccessRow>(PHOTO_ACCESS_SQL, [sha256, auth.user.id, variant]);
  if (rows[0]?.uploaded) return true;
  const stories: StoryAccessFacts[] = rows
    .filter((row) => row.created_by !== null)
    .map((row) => ({ createdBy: row.created_by!, rubrikId: row.rubrik_id, redakturId: row.redaktur_id, penulisIds: row.penulis_ids ?? [] }));
  if (stories.length === 0) return false;
  const direct = { id: auth.user.id, role: auth.user.role, editedRubrikIds: new Set<string>() };
  if (stories.some((story) => canAccessStory(direct, story))) return true;
  if (auth.user.role !== 'redaktur' || !stories.some((story) => story.rubrikId !== null)) return false;
  const viewer = await loadViewer(db, auth);
  return stories.some((story) => canAccessStory(viewer, story));
}
