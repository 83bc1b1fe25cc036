import { STORY_STATUSES, type StoryStatus, type StorySummary } from '../../../shared/domain/story';

/** The status filter: every live story, one status, or the trash. */
export type ListFilter = 'all' | StoryStatus | 'trash';

export const LIST_FILTERS: readonly ListFilter[] = ['all', ...STORY_STATUSES, 'trash'];

export function isListFilter(value: string): value is ListFilter {
  return (LIST_FILTERS as readonly string[]).includes(value);
}

/** stories.list input for a filter. */
export function listQuery(filter: ListFilter): { status?: StoryStatus; trash?: boolean } {
  if (filter === 'trash') return { trash: true };
  if (filter === 'all') return {};
  return { status: filter };
}

/** Whether a story belongs in the list under this filter (for live updates). */
export function matchesFilter(story: StorySummary, filter: ListFilter): boolean {
  if (filter === 'trash') return story.deletedAt !== null;
  if (story.deletedAt !== null) return false;
  return filter === 'all' || story.status === filter;
}
