import type { Migration } from './types';

/**
 * A story whose stored document does not load is marked, not fatal: core starts, lists it
 * as damaged and never writes its document again, so the bytes stay for recovery.
 */
export const storyDamage: Migration = {
  id: '20261201_0003_story_damage',
  sql: `
ALTER TABLE stories ADD COLUMN damaged_at INTEGER;   -- ms since epoch when core found the document unreadable; NULL = healthy
ALTER TABLE stories ADD COLUMN damage_reason TEXT;   -- what failed, for whoever recovers it
`,
};
