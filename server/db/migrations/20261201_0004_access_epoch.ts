import type { Migration } from './types';

/**
 * Per user, a number that changes whenever what the user may see can change without the
 * stories changing (their rubrik, their role, the rubrik tree) or they lost sight of a
 * story (it moved to another redaktur or rubrik, they left its byline). GET /changes
 * reports it; a client that sees another value than last time lists everything from the
 * start (see server/stories/accessEpoch.ts).
 */
export const accessEpoch: Migration = {
  id: '20261201_0004_access_epoch',
  sql: `
CREATE SEQUENCE access_epoch_seq;
ALTER TABLE users ADD COLUMN access_epoch bigint NOT NULL DEFAULT 0;
`,
};
