import type { StorySyncState } from '../../../shared/domain/newsroom';
import type { StoryEditor } from '../../../shared/server-api/workflow';

/**
 * Who changed the story after a version, for the diff of that version against now: the users
 * whose last edit the server stored after the version was made (an edit sent with the command
 * that made the version is stored at the same instant and belongs to it), and this user ("you")
 * when they are among them or when this profile holds edits the server has not taken yet.
 */
export function editedSince(
  editors: readonly StoryEditor[],
  since: number,
  meId: string | null,
  syncState: StorySyncState | null,
): { others: string[]; me: boolean } {
  const after = editors.filter((e) => e.lastAt > since);
  const unsyncedHere = syncState === 'pending' || syncState === 'local';
  return {
    others: after.filter((e) => e.userId !== meId).map((e) => e.userId),
    me: unsyncedHere || (meId !== null && after.some((e) => e.userId === meId)),
  };
}
