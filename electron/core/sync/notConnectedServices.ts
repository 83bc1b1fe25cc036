import type Database from 'better-sqlite3';
import { EMPTY_DIRECTORY, type AccountStatus, type SyncStatus } from '../../../shared/domain/newsroom';
import type { AccountService, DirectoryService, SyncService } from '../../../shared/rpc/contract';
import { RpcError } from '../../../shared/rpc/protocol';

/**
 * The newsroom services of a core that has no sync engine wired in: nobody is logged in,
 * sync is offline and every story stays local. Writing never depends on a server, so the
 * rest of the app works unchanged.
 */
export function createNotConnectedServices(db: Database.Database, options: { defaultServerUrl?: string | undefined }) {
  const countDirty = db.prepare('SELECT COUNT(*) FROM stories WHERE dirty = 1 AND deleted_at IS NULL').pluck();
  const accountStatus = (): AccountStatus => ({ state: 'logged_out', serverUrl: options.defaultServerUrl ?? null, user: null, owner: null });
  const syncStatus = (): SyncStatus => ({ state: 'offline', pending: countDirty.get() as number, lastSyncedAt: null, problem: 'not_logged_in' });

  const account: AccountService = {
    status: async () => accountStatus(),
    login: async () => {
      throw new RpcError('server_unreachable', 'This core has no connection to a newsroom server');
    },
    logout: async () => accountStatus(),
  };
  const sync: SyncService = {
    status: async () => syncStatus(),
    now: async () => syncStatus(),
  };
  const directory: DirectoryService = { get: async () => EMPTY_DIRECTORY };
  return { account, sync, directory };
}
