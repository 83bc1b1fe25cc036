import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { EMPTY_DIRECTORY, type AccountUser, type Directory } from '../../../shared/domain/newsroom';
import { ROLES } from '../../../shared/server-api/schemas';

export type AccountState = 'logged_out' | 'logged_in' | 'expired';

export interface AccountRow {
  state: AccountState;
  serverUrl: string | null;
  user: AccountUser | null;
  owner: AccountUser | null;
}

const accountUserSchema = z.object({ id: z.string().min(1), username: z.string().min(1), displayName: z.string(), role: z.enum(ROLES) });

/** Only what AccountUser holds: a server answer may carry more, which the profile does not keep. */
export function toAccountUser(user: AccountUser): AccountUser {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

/** The `account` and `directory_cache` rows (migration 20261201_0004_account). */
export class AccountRepository {
  private readonly selectAccount;
  private readonly upsertAccount;
  private readonly selectKey;
  private readonly writeKey;
  private readonly selectDirectory;
  private readonly upsertDirectory;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.selectAccount = db.prepare('SELECT state, server_url, user_json, owner_json FROM account WHERE id = 1');
    this.upsertAccount = db.prepare(
      `INSERT INTO account (id, state, server_url, user_json, owner_json, updated_at) VALUES (1, @state, @server_url, @user_json, @owner_json, @now)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, server_url = excluded.server_url, user_json = excluded.user_json,
         owner_json = excluded.owner_json, updated_at = excluded.updated_at`,
    );
    this.selectKey = db.prepare('SELECT local_key FROM account WHERE id = 1').pluck();
    this.writeKey = db.prepare(
      `INSERT INTO account (id, state, local_key, updated_at) VALUES (1, 'logged_out', @key, @now)
       ON CONFLICT (id) DO UPDATE SET local_key = excluded.local_key`,
    );
    this.selectDirectory = db.prepare('SELECT body_json FROM directory_cache WHERE id = 1').pluck();
    this.upsertDirectory = db.prepare(
      `INSERT INTO directory_cache (id, server_url, version, body_json, fetched_at) VALUES (1, @server_url, @version, @body_json, @now)
       ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, version = excluded.version, body_json = excluded.body_json,
         fetched_at = excluded.fetched_at`,
    );
  }

  read(): AccountRow {
    const row = this.selectAccount.get() as { state: AccountState; server_url: string | null; user_json: string | null; owner_json: string | null } | undefined;
    if (!row) return { state: 'logged_out', serverUrl: null, user: null, owner: null };
    const user = parseUser(row.user_json);
    const owner = parseUser(row.owner_json);
    // A user row that does not read (a bug, a hand edit) cannot be logged in: say logged out.
    const state = row.state !== 'logged_out' && !user ? 'logged_out' : row.state;
    return { state, serverUrl: row.server_url, user: state === 'logged_out' ? null : user, owner };
  }

  write(row: AccountRow): void {
    this.upsertAccount.run({
      state: row.state,
      server_url: row.serverUrl,
      user_json: row.user ? JSON.stringify(toAccountUser(row.user)) : null,
      owner_json: row.owner ? JSON.stringify(toAccountUser(row.owner)) : null,
      now: this.now(),
    });
  }

  /** The key of the locally sealed session file, made on first use. */
  localKey(): Uint8Array {
    const stored = this.selectKey.get() as Buffer | null | undefined;
    if (stored && stored.byteLength === 32) return stored;
    const key = randomBytes(32);
    this.writeKey.run({ key, now: this.now() });
    return key;
  }

  readDirectory(): Directory {
    const json = this.selectDirectory.get() as string | undefined;
    if (!json) return EMPTY_DIRECTORY;
    try {
      return JSON.parse(json) as Directory;
    } catch {
      return EMPTY_DIRECTORY;
    }
  }

  writeDirectory(serverUrl: string, directory: Directory): void {
    this.upsertDirectory.run({ server_url: serverUrl, version: directory.version, body_json: JSON.stringify(directory), now: this.now() });
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function parseUser(json: string | null): AccountUser | null {
  if (!json) return null;
  try {
    const parsed = accountUserSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
