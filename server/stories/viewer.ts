import type { Queryable } from '../db/database';
import type { AuthContext } from '../http/route';
import type { Viewer } from './permissions';

/**
 * The rubrik a redaktur edits, with every sub-rubrik below them, in one statement: this
 * runs on every sync of a redaktur or admin, so it reads only their branch of the tree
 * instead of the whole tree (a second statement) to walk it here.
 */
const EDITED_RUBRIK_SQL = `
WITH RECURSIVE edited (id) AS (
  SELECT rubrik_id FROM redaktur_rubrik WHERE user_id = $1
  UNION
  SELECT r.id FROM rubrik r JOIN edited e ON r.parent_id = e.id
)
SELECT id FROM edited`;

/** The caller as permission checks see them: a redaktur's rubrik include every sub-rubrik. */
export async function loadViewer(db: Queryable, auth: AuthContext): Promise<Viewer> {
  if (auth.user.role === 'penulis') return { id: auth.user.id, role: auth.user.role, editedRubrikIds: new Set() };
  const edited = await db.query<{ id: string }>(EDITED_RUBRIK_SQL, [auth.user.id]);
  return { id: auth.user.id, role: auth.user.role, editedRubrikIds: new Set(edited.map((r) => r.id)) };
}
