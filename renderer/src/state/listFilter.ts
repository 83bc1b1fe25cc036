import { STORY_STATUSES, type StoryStatus, type StorySummary } from '../../../shared/domain/story';

/**
 * The list filter: every live story, one status, the trash, or (for a redaktur) the stories
 * waiting for me: those whose redaktur is the logged-in user.
 */
export type ListFilter = 'all' | StoryStatus | 'trash' | 'waiting';

export const LIST_FILTERS: readonly ListFilter[] = ['all', 'waiting', ...STORY_STATUSES, 'trash'];

export function isListFilter(value: string): value is ListFilter {
  return (LIST_FILTERS as readonly string[]).includes(value);
}

/** stories.list input for a filter. */
export function listQuery(filter: ListFilter): { status?: StoryStatus; trash?: boolean } {
  if (filter === 'trash') return { trash: true };
  // stories.list has no redaktur filter: 'waiting' reads every live story and keeps its own.
  if (filter === 'all' || filter === 'waiting') return {};
  return { status: filter };
}

/** Whether a story belongs in the list under this filter (for live updates); `me` is the logged-in user's id. */
export function matchesFilter(story: StorySummary, filter: ListFilter, me: string | null = null): boolean {
  if (filter === 'trash') return story.deletedAt !== null;
  if (story.deletedAt !== null) return false;
  if (filter === 'waiting') return me !== null && story.redakturId === me;
  return filter === 'all' || story.status === filter;
}
