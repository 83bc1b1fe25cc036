import { passwordSchema, usernameSchema } from '../../shared/server-api/schemas';
import { DEFAULT_SCRYPT_COST, hashPassword, type ScryptCost } from '../auth/password';
import type { Database } from '../db/database';
import { bumpDirectoryVersion } from './directory';
import { insertUser } from './users';

/** The environment variable `--create-admin` reads the password from (never argv: `ps` shows argv to everyone). */
export const ADMIN_PASSWORD_ENV = 'RUANG_ADMIN_PASSWORD';

/** The admin cannot be created as asked; the message says what to change. */
export class CreateAdminError extends Error {
  override name = 'CreateAdminError';
}

/**
 * `--create-admin USERNAME`: the newsroom's first account without `--demo`. Idempotent: when
 * an active admin of that name exists nothing changes (its password is left as it is, so a
 * restart with the same command never resets it); a non-admin or deactivated account of that
 * name is an error, never silently promoted. Returns whether an account was created.
 */
export async function createFirstAdmin(
  db: Database,
  rawUsername: string,
  password: string | undefined,
  options: { now?: number; passwordCost?: ScryptCost } = {},
): Promise<boolean> {
  const username = usernameSchema.safeParse(rawUsername);
  if (!username.success) throw new CreateAdminError(`--create-admin: "${rawUsername}" is not a valid username (${username.error.issues[0]?.message ?? 'invalid'})`);
  const existing = await findUser(db, username.data);
  if (existing) return checkExisting(username.data, existing);
  if (password === undefined || password === '') throw new CreateAdminError(`--create-admin: set the password in the environment variable ${ADMIN_PASSWORD_ENV}`);
  if (!passwordSchema.safeParse(password).success) throw new CreateAdminError(`--create-admin: ${ADMIN_PASSWORD_ENV} must be 8 to 200 characters`);
  // scrypt outside the transaction, where it would block PGlite.
  const passwordHash = await hashPassword(password, options.passwordCost ?? DEFAULT_SCRYPT_COST);
  return db.transaction(async (tx) => {
    const id = await insertUser(tx, { username: username.data, displayName: username.data, role: 'admin', passwordHash }, options.now ?? Date.now());
    if (!id) {
      // Created by another server process between the check and now.
      const raced = await findUser(tx, username.data);
      return checkExisting(username.data, raced!);
    }
    await bumpDirectoryVersion(tx);
    return true;
  });
}

async function findUser(db: Pick<Database, 'query'>, username: string): Promise<{ role: string; active: boolean } | undefined> {
  const [row] = await db.query<{ role: string; active: boolean }>('SELECT role, active FROM users WHERE username = $1', [username]);
  return row;
}

function checkExisting(username: string, user: { role: string; active: boolean }): false {
  if (user.role !== 'admin') throw new CreateAdminError(`--create-admin: the account "${username}" exists with the role ${user.role}; choose another username or change its role in the admin API`);
  if (!user.active) throw new CreateAdminError(`--create-admin: the admin "${username}" exists but is deactivated; reactivate it with another admin`);
  return false;
}
