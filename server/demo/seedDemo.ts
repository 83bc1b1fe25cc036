import { RUBRIK_PATH_SEPARATOR } from '../../shared/server-api/schemas';
import { bumpDirectoryVersion } from '../accounts/directory';
import { insertRubrik } from '../accounts/rubrik';
import { insertUser } from '../accounts/users';
import { DEFAULT_SCRYPT_COST, hashPassword, type ScryptCost } from '../auth/password';
import type { Database, Queryable } from '../db/database';
import { DEMO_PASSWORD, DEMO_RUBRIK, DEMO_USERS, type DemoRubrik } from './demoData';

/** Raise when the demo data grows: a database seeded by an older version gets the additions. */
export const DEMO_SEED_VERSION = 1;

/**
 * Seeds the demo newsroom once per database (recorded in server_meta), in one
 * transaction. Running it again changes nothing, so an admin's later edits to demo
 * users or rubrik survive restarts with --demo. Existing usernames and rubrik are reused,
 * never duplicated. Returns whether anything was seeded.
 */
export async function seedDemo(db: Database, options: { now?: number; passwordCost?: ScryptCost } = {}): Promise<boolean> {
  const now = options.now ?? Date.now();
  if ((await seededVersion(db)) >= DEMO_SEED_VERSION) return false;
  // One hash for every demo account (the password is published anyway); scrypt runs
  // outside the transaction, where it would block PGlite.
  const passwordHash = await hashPassword(DEMO_PASSWORD, options.passwordCost ?? DEFAULT_SCRYPT_COST);
  return db.transaction(async (tx) => {
    if ((await seededVersion(tx)) >= DEMO_SEED_VERSION) return false;
    const rubrikByPath = new Map<string, string>();
    const addTree = async (nodes: readonly DemoRubrik[], parentId: string | null, prefix: string) => {
      for (const [position, node] of nodes.entries()) {
        const path = prefix ? prefix + RUBRIK_PATH_SEPARATOR + node.name : node.name;
        const [existing] = await tx.query<{ id: string }>("SELECT id FROM rubrik WHERE coalesce(parent_id, '') = coalesce($1, '') AND lower(name) = lower($2)", [
          parentId,
          node.name,
        ]);
        const id = existing?.id ?? (await insertRubrik(tx, parentId, node.name, position, now));
        rubrikByPath.set(path, id);
        await addTree(node.children ?? [], id, path);
      }
    };
    await addTree(DEMO_RUBRIK, null, '');

    for (const user of DEMO_USERS) {
      await insertUser(tx, { ...user, passwordHash }, now);
      const [row] = await tx.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [user.username]);
      for (const path of user.edits ?? []) {
        await tx.query('INSERT INTO redaktur_rubrik (user_id, rubrik_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [row!.id, rubrikByPath.get(path)!]);
      }
    }
    await tx.query(
      "INSERT INTO server_meta (key, value) VALUES ('demo_seed_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [String(DEMO_SEED_VERSION)],
    );
    await bumpDirectoryVersion(tx);
    return true;
  });
}

async function seededVersion(db: Queryable): Promise<number> {
  const [row] = await db.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'demo_seed_version'");
  return row ? Number(row.value) : 0;
}
