import type { StorySyncState } from './newsroom';

/**
 * Workflow statuses: draft → submitted → in_review → approved → published; a story in review
 * may be sent back as revision_requested (the reporter edits and submits it again); any story
 * but a published one may be spiked, and restored to draft. The server decides transitions;
 * locally a new story is a draft.
 */
export const STORY_STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'revision_requested',
  'approved',
  'published',
  'spiked',
] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

/** One row of the story list: a projection of the story document, kept by core. */
export interface StorySummary {
  id: string;
  headline: string;
  status: StoryStatus;
  /** Milliseconds since the epoch of the last local change. */
  updatedAt: number;
  createdAt: number;
  wordCount: number;
  /** Set when the story sits in the trash (recoverable). */
  deletedAt: number | null;
  /**
   * The stored document does not load (a damaged disk, a bug). Core keeps its bytes as they
   * are for recovery and refuses to open or change it; every other story works as usual.
   */
  damaged: boolean;
  /** Plain meta values of the document, for the list's columns (names come from the directory). */
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: string[];
  syncState: StorySyncState;
  /** For a conflict copy: the story whose refused edits it holds. */
  conflictOf: string | null;
  /**
   * The status a workflow command waiting in this profile's outbox leads to (set only while
   * one waits and it differs from `status`, which stays the server's: queues follow that).
   */
  pendingStatus?: StoryStatus;
}

export interface StorySearchHit extends StorySummary {
  /** A short excerpt around the match, plain text; matched words wrapped in [[ ]]. */
  snippet: string;
}
