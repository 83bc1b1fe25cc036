import type { Migration } from './types';

/**
 * The server's access epoch for this account (GET /changes `accessEpoch`), saved with the
 * feed cursor it belongs to: when the server reports another one, what the account may see
 * changed without the stories changing (a rubrik given or taken, a story moved away), and
 * the engine lists the feed again from the start (see syncEngine.ts). NULL: none seen yet.
 */
export const accessEpoch: Migration = {
  id: '20261201_0008_access_epoch',
  sql: `
ALTER TABLE sync_cursor ADD COLUMN access_epoch INTEGER;
`,
};
