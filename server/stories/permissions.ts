import type { Role } from '../../shared/server-api/schemas';

export interface StoryAccessFacts {
  createdBy: string;
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: readonly string[];
}

export interface Viewer {
  id: string;
  role: Role;
  /** Rubrik the viewer edits, with all their sub-rubrik (empty for a penulis). */
  editedRubrikIds: ReadonlySet<string>;
}

/**
 * Who may read and write a story (issue 7): a penulis their own (created, or named in the
 * byline); a redaktur those assigned to them or in a rubrik they edit; an admin all.
 * Everyone keeps access to the stories they wrote, whatever their role.
 */
export function canAccessStory(viewer: Viewer, story: StoryAccessFacts): boolean {
  if (viewer.role === 'admin') return true;
  if (story.createdBy === viewer.id || story.penulisIds.includes(viewer.id)) return true;
  if (viewer.role === 'redaktur') {
    return story.redakturId === viewer.id || (story.rubrikId !== null && viewer.editedRubrikIds.has(story.rubrikId));
  }
  return false;
}
