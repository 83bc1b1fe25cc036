import { editReadOnlyReason } from '../../shared/workflow/rules';
import type { Viewer } from '../stories/permissions';
import type { StoryWriteGuard } from '../stories/syncStory';
import { relationOf } from './storyFacts';

/**
 * Who may edit a story's text follows its status (shared/workflow/rules.ts): an update that
 * would change a story the viewer may not edit now is refused with `read_only` and nothing is
 * stored. Decided on the row the story's transaction read with its lock, so a status change
 * cannot slip in between the check and the write.
 */
export function readOnlyGuard(viewer: Viewer): StoryWriteGuard {
  return (row) => {
    const reason = editReadOnlyReason(relationOf(viewer, row), row.status);
    return reason === null ? null : { code: 'read_only', message: `the story is ${row.status}: its text is read-only for you now (${reason})` };
  };
}
