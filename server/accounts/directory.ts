import { RUBRIK_PATH_SEPARATOR, type DirectoryResponse, type DirectoryRubrik, type DirectoryUser, type Role } from '../../shared/server-api/schemas';
import type { Queryable } from '../db/database';
import { publishChange } from '../notify/changeEvents';

/** Every change to users, rubrik or assignments bumps this, inside the same transaction. */
export async function bumpDirectoryVersion(tx: Queryable): Promise<void> {
  const [row] = await tx.query<{ value: string }>("UPDATE server_meta SET value = (value::int + 1)::text WHERE key = 'directory_version' RETURNING value");
  // Delivered when the transaction commits: clients refetch the directory, and open
  // notification sockets re-read who sees what (assignments and roles may have moved).
  if (row) await publishChange(tx, { kind: 'directory', version: Number(row.value) });
}

interface RubrikRow {
  id: string;
  parent_id: string | null;
  name: string;
  position: number;
}

/** The rubrik tree depth-first (siblings by position, then name) with full path labels. */
export async function readRubrikTree(db: Queryable): Promise<DirectoryRubrik[]> {
  const rows = await db.query<RubrikRow>('SELECT id, parent_id, name, position FROM rubrik');
  const children = new Map<string | null, RubrikRow[]>();
  for (const row of rows) {
    const list = children.get(row.parent_id) ?? [];
    list.push(row);
    children.set(row.parent_id, list);
  }
  const out: DirectoryRubrik[] = [];
  const visit = (parentId: string | null, prefix: string) => {
    const list = (children.get(parentId) ?? []).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name, 'id'));
    for (const row of list) {
      const path = prefix ? prefix + RUBRIK_PATH_SEPARATOR + row.name : row.name;
      out.push({ id: row.id, parentId: row.parent_id, name: row.name, path, position: row.position });
      visit(row.id, path);
    }
  };
  visit(null, '');
  return out;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  active: boolean;
}

export async function readAssignments(db: Queryable): Promise<Map<string, string[]>> {
  const rows = await db.query<{ user_id: string; rubrik_id: string }>('SELECT user_id, rubrik_id FROM redaktur_rubrik ORDER BY user_id, rubrik_id');
  const byUser = new Map<string, string[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.rubrik_id]);
  return byUser;
}

export async function readDirectory(db: Queryable): Promise<DirectoryResponse> {
  const [version] = await db.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'directory_version'");
  const users = await db.query<UserRow>('SELECT id, username, display_name, role, active FROM users ORDER BY display_name, username');
  const assignments = await readAssignments(db);
  const rubrik = await readRubrikTree(db);
  return {
    version: Number(version?.value ?? 0),
    users: users.map(
      (u): DirectoryUser => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role, active: u.active, rubrikIds: assignments.get(u.id) ?? [] }),
    ),
    rubrik,
  };
}
