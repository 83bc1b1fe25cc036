import { STORY_STATUSES, type StoryStatus, type StorySummary } from '../../../shared/domain/story';

/**
 * The list filter: every live story, one status, the trash, or (for a redaktur) the stories
 * waiting for me ("menunggu saya", see inQueue).
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

/** A redaktur as the queue sees them: who they are and every rubrik they edit (sub-rubrik included). */
export interface QueueViewer {
  id: string;
  rubrikIds: ReadonlySet<string>;
}

/** Statuses that wait for the desk: filed and not yet decided. */
export const QUEUE_STATUSES: readonly StoryStatus[] = ['submitted', 'in_review'];

/**
 * Whether a story waits for this redaktur: submitted or in review, and addressed to them or
 * filed in a rubrik they edit.
 */
export function inQueue(story: StorySummary, viewer: QueueViewer | null): boolean {
  if (!viewer || story.deletedAt !== null || !QUEUE_STATUSES.includes(story.status)) return false;
  return story.redakturId === viewer.id || (story.rubrikId !== null && viewer.rubrikIds.has(story.rubrikId));
}

/** Whether a story belongs in the list under this filter (for live updates); `viewer` is the logged-in redaktur, if any. */
export function matchesFilter(story: StorySummary, filter: ListFilter, viewer: QueueViewer | null = null): boolean {
  if (filter === 'trash') return story.deletedAt !== null;
  if (story.deletedAt !== null) return false;
  if (filter === 'waiting') return inQueue(story, viewer);
  return filter === 'all' || story.status === filter;
}

/** The redaktur's queue first, then every other story, each part in the list's own order. */
export function queueFirst(stories: readonly StorySummary[], viewer: QueueViewer | null): StorySummary[] {
  if (!viewer) return stories.slice();
  const queue: StorySummary[] = [];
  const rest: StorySummary[] = [];
  for (const s of stories) (inQueue(s, viewer) ? queue : rest).push(s);
  return [...queue, ...rest];
}
