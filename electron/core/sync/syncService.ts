import type { SyncService } from '../../../shared/rpc/contract';
import type { SyncEngine } from './syncEngine';

/** The `sync` RPC service over the engine: `now` starts an exchange and answers at once (progress comes as syncStatusChanged). */
export function createSyncService(engine: SyncEngine): SyncService {
  return {
    status: async () => engine.status(),
    now: async () => {
      engine.notify();
      return engine.status();
    },
  };
}
