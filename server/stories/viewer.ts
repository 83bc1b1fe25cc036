import type { Queryable } from '../db/database';
import { readRubrikTree } from '../accounts/directory';
import type { AuthContext } from '../http/route';
import type { Viewer } from './permissions';

/** The caller as permission checks see them: a redaktur's rubrik include every sub-rubrik. */
export async function loadViewer(db: Queryable, auth: AuthContext): Promise<Viewer> {
  if (auth.user.role === 'penulis') return { id: auth.user.id, role: auth.user.role, editedRubrikIds: new Set() };
  const assigned = await db.query<{ rubrik_id: string }>('SELECT rubrik_id FROM redaktur_rubrik WHERE user_id = $1', [auth.user.id]);
  const tree = await readRubrikTree(db);
  const edited = new Set(assigned.map((a) => a.rubrik_id));
  // The tree is depth-first: a parent always comes before its children.
  for (const r of tree) if (r.parentId !== null && edited.has(r.parentId)) edited.add(r.id);
  return { id: auth.user.id, role: auth.user.role, editedRubrikIds: edited };
}
