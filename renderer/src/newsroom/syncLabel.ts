import type { SyncStatus } from '../../../shared/domain/newsroom';

/**
 * What the sync indicator says, as an i18n key and its count. "Synced" is said only when
 * the server has acknowledged everything: online with changes it has not acknowledged yet
 * (the push waits for a quiet second after typing, or is under way) says how many wait.
 * The `sync-status` data-state stays the engine's state; only the words differ.
 */
export function syncLabel(sync: Pick<SyncStatus, 'state' | 'pending'> | null): { key: string; count?: number } {
  const state = sync?.state ?? 'offline';
  if (state === 'online' && sync && sync.pending > 0) return { key: 'sync.state.waiting', count: sync.pending };
  return { key: `sync.state.${state}` };
}
