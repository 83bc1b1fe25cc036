import { randomUUID } from 'node:crypto';
import type { CreateRubrikBody, DirectoryRubrik, UpdateRubrikBody } from '../../shared/server-api/schemas';
import type { Database, Queryable } from '../db/database';
import { conflict, notFound } from '../http/apiError';
import { bumpAccessEpochOfRedaktur } from '../stories/accessEpoch';
import { bumpDirectoryVersion, readRubrikTree } from './directory';

async function findRubrik(tree: DirectoryRubrik[], id: string): Promise<DirectoryRubrik> {
  const found = tree.find((r) => r.id === id);
  if (!found) throw notFound('rubrik');
  return found;
}

async function checkNameFree(tx: Queryable, parentId: string | null, name: string, exceptId: string | null): Promise<void> {
  const rows = await tx.query(
    `SELECT 1 FROM rubrik WHERE coalesce(parent_id, '') = coalesce($1, '') AND lower(name) = lower($2) AND id <> coalesce($3, '')`,
    [parentId, name, exceptId],
  );
  if (rows.length > 0) throw conflict(`a rubrik named "${name}" already exists there`);
}

/** Rubrik edits take this lock so two concurrent moves cannot build a cycle between them. */
async function lockTree(db: Database, tx: Queryable): Promise<void> {
  if (db.engine === 'postgres') await tx.query('LOCK TABLE rubrik IN SHARE ROW EXCLUSIVE MODE');
}

export async function insertRubrik(tx: Queryable, parentId: string | null, name: string, position: number, now: number): Promise<string> {
  const id = randomUUID();
  await tx.query('INSERT INTO rubrik (id, parent_id, name, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)', [
    id,
    parentId,
    name,
    position,
    new Date(now),
  ]);
  return id;
}

export async function createRubrik(db: Database, body: CreateRubrikBody, now: number): Promise<DirectoryRubrik> {
  return db.transaction(async (tx) => {
    await lockTree(db, tx);
    const parentId = body.parentId ?? null;
    const tree = await readRubrikTree(tx);
    if (parentId !== null) await findRubrik(tree, parentId);
    await checkNameFree(tx, parentId, body.name, null);
    const position = tree.filter((r) => r.parentId === parentId).reduce((max, r) => Math.max(max, r.position + 1), 0);
    const id = await insertRubrik(tx, parentId, body.name, position, now);
    await bumpDirectoryVersion(tx);
    return findRubrik(await readRubrikTree(tx), id);
  });
}

/** Renames, reorders or moves a rubrik with its sub-rubrik; never under itself or one of its descendants. */
export async function updateRubrik(db: Database, id: string, body: UpdateRubrikBody, now: number): Promise<DirectoryRubrik> {
  return db.transaction(async (tx) => {
    await lockTree(db, tx);
    const tree = await readRubrikTree(tx);
    const current = await findRubrik(tree, id);
    const parentId = body.parentId === undefined ? current.parentId : body.parentId;
    const name = body.name ?? current.name;
    if (parentId !== null) {
      const parent = await findRubrik(tree, parentId);
      // Walk up from the new parent: meeting `id` means the move would make a cycle.
      for (let at: DirectoryRubrik | undefined = parent; at; at = tree.find((r) => r.id === at!.parentId)) {
        if (at.id === id) throw conflict('a rubrik cannot move under itself or one of its sub-rubrik');
      }
    }
    await checkNameFree(tx, parentId, name, id);
    await tx.query('UPDATE rubrik SET name = $2, parent_id = $3, position = $4, updated_at = $5 WHERE id = $1', [
      id,
      name,
      parentId,
      body.position ?? current.position,
      new Date(now),
    ]);
    // A move changes which sub-rubrik each redaktur's assignments cover.
    if (parentId !== current.parentId) await bumpAccessEpochOfRedaktur(tx);
    await bumpDirectoryVersion(tx);
    return findRubrik(await readRubrikTree(tx), id);
  });
}

/** Deletes a rubrik that has no sub-rubrik and no story; its redaktur assignments go with it. */
export async function deleteRubrik(db: Database, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockTree(db, tx);
    const [row] = await tx.query<{ children: number }>('SELECT (SELECT count(*)::int FROM rubrik c WHERE c.parent_id = r.id) AS children FROM rubrik r WHERE r.id = $1', [id]);
    if (!row) throw notFound('rubrik');
    if (row.children > 0) throw conflict('the rubrik still has sub-rubrik: move or delete them first');
    const [stories] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM stories WHERE rubrik_id = $1', [id]);
    if (stories!.n > 0) throw conflict(`the rubrik still holds ${stories!.n} stories: move them first`);
    await tx.query('DELETE FROM rubrik WHERE id = $1', [id]);
    await bumpDirectoryVersion(tx);
  });
}
