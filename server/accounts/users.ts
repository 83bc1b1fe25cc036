import { randomUUID } from 'node:crypto';
import type { AdminUser, CreateUserBody, Role, UpdateUserBody, UserSummary } from '../../shared/server-api/schemas';
import { hashPassword, type ScryptCost } from '../auth/password';
import { revokeUserSessions } from '../auth/sessions';
import type { Database, Queryable } from '../db/database';
import { conflict, notFound } from '../http/apiError';
import { bumpAccessEpoch } from '../stories/accessEpoch';
import { bumpDirectoryVersion, readAssignments } from './directory';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS = 'id, username, display_name, role, active, created_at, updated_at';

export function toSummary(row: { id: string; username: string; display_name: string; role: Role }): UserSummary {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
}

function toAdminUser(row: UserRow, rubrikIds: string[]): AdminUser {
  return { ...toSummary(row), active: row.active, rubrikIds, createdAt: row.created_at.getTime(), updatedAt: row.updated_at.getTime() };
}

export async function listUsers(db: Queryable, includeInactive: boolean): Promise<AdminUser[]> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ${includeInactive ? '' : 'WHERE active'} ORDER BY username`);
  const assignments = await readAssignments(db);
  return rows.map((r) => toAdminUser(r, assignments.get(r.id) ?? []));
}

async function getUser(tx: Queryable, id: string): Promise<AdminUser> {
  const [row] = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  if (!row) throw notFound('user');
  const rubrik = await tx.query<{ rubrik_id: string }>('SELECT rubrik_id FROM redaktur_rubrik WHERE user_id = $1 ORDER BY rubrik_id', [id]);
  return toAdminUser(row, rubrik.map((r) => r.rubrik_id));
}

/** Inserts a user; a taken username is a conflict. `passwordHash` is computed outside the transaction (scrypt is slow). */
export async function insertUser(
  tx: Queryable,
  user: { username: string; displayName: string; role: Role; passwordHash: string },
  now: number,
): Promise<string | null> {
  const id = randomUUID();
  const rows = await tx.query(
    `INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, true, $6, $6) ON CONFLICT (username) DO NOTHING RETURNING id`,
    [id, user.username, user.displayName, user.role, user.passwordHash, new Date(now)],
  );
  return rows.length > 0 ? id : null;
}

export async function createUser(db: Database, body: CreateUserBody, now: number, cost: ScryptCost): Promise<AdminUser> {
  const passwordHash = await hashPassword(body.password, cost);
  return db.transaction(async (tx) => {
    const id = await insertUser(tx, { ...body, passwordHash }, now);
    if (!id) throw conflict(`the username "${body.username}" is taken`);
    await bumpDirectoryVersion(tx);
    return getUser(tx, id);
  });
}

/**
 * Changes a user. Deactivating or changing the password ends the user's sessions (but the
 * acting admin's own current one); taking the redaktur role away clears their rubrik. The
 * last active admin can neither be demoted nor deactivated, so the newsroom never locks
 * itself out.
 */
export async function updateUser(
  db: Database,
  id: string,
  body: UpdateUserBody,
  now: number,
  actorSession: string,
  cost: ScryptCost,
): Promise<AdminUser> {
  const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password, cost);
  return db.transaction(async (tx) => {
    const [current] = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!current) throw notFound('user');
    const role = body.role ?? current.role;
    const active = body.active ?? current.active;
    if (current.role === 'admin' && current.active && (role !== 'admin' || !active)) {
      // Locking every active admin row makes two concurrent demotions of the last two
      // admins take turns, so the second one sees the first and is refused.
      const admins = await tx.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE");
      if (!admins.some((a) => a.id !== id)) throw conflict('this is the last active admin: make another admin first');
    }
    await tx.query(
      `UPDATE users SET display_name = $2, role = $3, active = $4, password_hash = coalesce($5, password_hash), updated_at = $6 WHERE id = $1`,
      [id, body.displayName ?? current.display_name, role, active, passwordHash ?? null, new Date(now)],
    );
    if (!active || passwordHash !== undefined) await revokeUserSessions(tx, id, now, actorSession);
    if (role === 'penulis') await tx.query('DELETE FROM redaktur_rubrik WHERE user_id = $1', [id]);
    if (role !== current.role) await bumpAccessEpoch(tx, [id]);
    await bumpDirectoryVersion(tx);
    return getUser(tx, id);
  });
}

/** Replaces the rubrik a redaktur (or admin) edits. */
export async function setUserRubrik(db: Database, id: string, rubrikIds: string[]): Promise<AdminUser> {
  const unique = [...new Set(rubrikIds)];
  return db.transaction(async (tx) => {
    const [user] = await tx.query<{ role: Role }>('SELECT role FROM users WHERE id = $1 FOR UPDATE', [id]);
    if (!user) throw notFound('user');
    if (user.role === 'penulis') throw conflict('only a redaktur or admin edits rubrik: change the role first');
    if (unique.length > 0) {
      const found = await tx.query<{ id: string }>('SELECT id FROM rubrik WHERE id = ANY($1::text[])', [unique]);
      const missing = unique.filter((r) => !found.some((f) => f.id === r));
      if (missing.length > 0) throw notFound(`rubrik ${missing.join(', ')}`);
    }
    await tx.query('DELETE FROM redaktur_rubrik WHERE user_id = $1', [id]);
    for (const rubrikId of unique) await tx.query('INSERT INTO redaktur_rubrik (user_id, rubrik_id) VALUES ($1, $2)', [id, rubrikId]);
    await bumpAccessEpoch(tx, [id]);
    await bumpDirectoryVersion(tx);
    return getUser(tx, id);
  });
}
