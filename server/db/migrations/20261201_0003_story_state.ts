import type { Migration } from './types';

/**
 * Each story's document kept merged beside its update log, so a sync reads one value
 * instead of merging the whole log (issue 7, server throughput):
 *
 * - `doc_state`: the story's whole document as one Yjs update, content-equal to merging
 *   every row of `story_updates` for the story (parts still waiting for their
 *   dependencies included). Written in the same transaction as each log row.
 * - `doc_state_vector`: the state vector of that document as the server answers it (what
 *   it holds without gaps), so answering a client needs no decoding of `doc_state`.
 *
 * Both are NULL for stories last written before this migration: their document is still
 * read from the log, and their next write fills both (server/stories/storyState.ts).
 */
export const storyState: Migration = {
  id: '20261201_0003_story_state',
  sql: `
ALTER TABLE stories ADD COLUMN doc_state bytea;
ALTER TABLE stories ADD COLUMN doc_state_vector bytea;
`,
};
