import type { StoryStatus } from './story';
import type { CommentRecord, StoryEditor, ThreadState, VersionSummary } from '../server-api/workflow';
import type { ReadOnlyReason, WorkflowCommand } from '../workflow/rules';

/**
 * A story's review state as core tells the renderer (issue 9): the server's last word (status,
 * revision note, comments, versions), cached locally so it shows offline, plus what this
 * profile has done since and not yet sent (the outbox).
 */
export interface StoryReview {
  storyId: string;
  /** The status to show: the server's, or the one a queued command leads to (see `pendingCommands`). */
  status: StoryStatus;
  /** The server's last known status (equal to `status` when nothing is queued). */
  serverStatus: StoryStatus;
  revisionNote: string | null;
  revisionNoteBy: string | null;
  /** Commands this user may give now (the UI shows only these). */
  allowed: WorkflowCommand[];
  /** Why the editor is read-only for this user, or null when they may edit. */
  readOnlyReason: ReadOnlyReason | null;
  /** Comments known to the server plus this profile's own not yet sent (`pending: true`). */
  comments: Array<CommentRecord & { pending: boolean }>;
  threads: ThreadState[];
  /** Versions known locally (kept for offline diffs once fetched). */
  versions: VersionSummary[];
  /** Who edited the story on the server and when, as last fetched (empty until then). */
  editors: StoryEditor[];
  /** Commands in the outbox for this story, oldest first. */
  pendingCommands: Array<{ id: string; command: WorkflowCommand; issuedAt: number }>;
  /** The server's refusal of this profile's last command for the story, until the user dismisses it. */
  lastRefusal: { commandId: string; command: WorkflowCommand; code: string; message: string; failures: string[] } | null;
}
