import type { Migration } from './types';

/**
 * Two changes for the server's throughput (issue 7) on the columns of migration
 * 20261201_0003_story_state:
 *
 * - `doc_catch_up`: what a client whose state vector equals `doc_state_vector` lacks (the
 *   document's delete set, and any parts still waiting for their dependencies), written
 *   with `doc_state` by every write. A reconnecting client asks about many stories it
 *   already holds whole; they are answered from this small value and the state vector,
 *   without reading `doc_state` or decoding it (server/stories/storyState.ts). NULL for
 *   stories last written before it existed: they are answered from `doc_state`, and their
 *   next write fills it.
 * - `doc_state` and the two small columns are stored out of line without compression
 *   (STORAGE EXTERNAL). Every sync that adds text rewrites the whole document (tens of
 *   kilobytes for a long story with its history); with the default storage the database
 *   compresses each new value, which on the embedded engine runs in the server's own
 *   thread and was the largest single cost of a write (about 0.4 ms of 0.65 ms for a
 *   15 KB document), and every read decompresses it again. Yjs documents compress about
 *   3:1: this trades disk (one document per story; the log is unchanged) for throughput.
 *   Values written before stay compressed until the story's next write; both read alike.
 */
export const storyCatchUp: Migration = {
  id: '20261202_0007_story_catch_up',
  sql: `
ALTER TABLE stories ADD COLUMN doc_catch_up bytea;
ALTER TABLE stories ALTER COLUMN doc_state SET STORAGE EXTERNAL;
ALTER TABLE stories ALTER COLUMN doc_state_vector SET STORAGE EXTERNAL;
ALTER TABLE stories ALTER COLUMN doc_catch_up SET STORAGE EXTERNAL;
`,
};
