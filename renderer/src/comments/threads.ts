import type { AccountUser, Directory } from '../../../shared/domain/newsroom';
import type { StoryReview } from '../../../shared/domain/review';
import { userName } from '../newsroom/directoryView';
import type { Anchors } from './anchors';

/** What the threads list shows for one thread. Pure: built from core's review state, the anchors in the text and the directory. */
export interface ThreadView {
  threadId: string;
  /** The text the thread was opened on (kept by the server). */
  quote: string;
  /** The words its marks hold now; null when none are left in the text. */
  anchoredText: string | null;
  /** The passage is gone from the text (deleted, by anyone): shown with its quote, never dropped. */
  detached: boolean;
  resolved: boolean;
  resolvedByName: string | null;
  /** Some of its comments are not yet sent to the server. */
  pending: boolean;
  comments: Array<{ id: string; authorName: string; body: string; createdAt: number; pending: boolean }>;
}

/**
 * A person's name for the threads and the history: from the directory, else the logged-in
 * user's own (a profile that has not synced the directory yet still knows who it is), else `unknown`.
 */
export function nameResolver(directory: Directory, me: AccountUser | null | undefined, unknown: string): (userId: string | null | undefined) => string {
  return (userId) => userName(directory, userId) ?? (me && userId === me.id ? me.displayName : unknown);
}

/**
 * Threads in the order people opened them, open ones first. Every thread core knows is listed,
 * anchored or not: a comment is never lost because its words were.
 */
export function buildThreads(review: StoryReview | null, anchors: Anchors, nameOf: (userId: string | null) => string): ThreadView[] {
  if (!review) return [];
  const byThread = new Map<string, ThreadView>();
  const comments = [...review.comments].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  for (const c of comments) {
    let thread = byThread.get(c.threadId);
    if (!thread) {
      const state = review.threads.find((t) => t.threadId === c.threadId);
      const anchoredText = anchors.get(c.threadId) ?? null;
      thread = {
        threadId: c.threadId,
        quote: c.quote,
        anchoredText,
        detached: anchoredText === null,
        resolved: state?.resolved ?? false,
        resolvedByName: state?.resolvedBy ? nameOf(state.resolvedBy) : null,
        pending: false,
        comments: [],
      };
      byThread.set(c.threadId, thread);
    }
    thread.comments.push({ id: c.id, authorName: nameOf(c.authorId), body: c.body, createdAt: c.createdAt, pending: c.pending });
    if (c.pending) thread.pending = true;
  }
  const threads = [...byThread.values()];
  return [...threads.filter((t) => !t.resolved), ...threads.filter((t) => t.resolved)];
}
