import type { StoryReview } from '../../../shared/domain/review';
import { RpcError } from '../../../shared/rpc/protocol';
import type { WorkflowService } from '../../../shared/rpc/contract';
import type { CommentRecord, StoryEditor, ThreadState, VersionSummary } from '../../../shared/server-api/workflow';

/**
 * For unit tests: an in-memory review workflow behind the stand-in core. Comments and
 * resolves are queued as core queues them (pending until `markSent`), versions answer from
 * what the test stored. Commands are not modelled here (they are another part's job).
 */
export function standInWorkflow(options: { userId: () => string; onChange: (storyId: string) => void }) {
  const reviews = new Map<string, StoryReview>();
  const versionStates = new Map<string, Uint8Array>();
  const calls = { comment: 0, resolve: 0, version: [] as string[], get: 0 };
  /** When set, workflow.comment fails with it (core unreachable, a refusal). */
  const faults: { comment: RpcError | null; version: RpcError | null } = { comment: null, version: null };

  const reviewOf = (storyId: string): StoryReview => {
    let review = reviews.get(storyId);
    if (!review) {
      review = {
        storyId,
        status: 'draft',
        serverStatus: 'draft',
        revisionNote: null,
        revisionNoteBy: null,
        allowed: [],
        readOnlyReason: null,
        comments: [],
        threads: [],
        versions: [],
        editors: [],
        pendingCommands: [],
        lastRefusal: null,
      };
      reviews.set(storyId, review);
    }
    return review;
  };
  const copy = (r: StoryReview): StoryReview => structuredClone(r);
  const changed = (storyId: string) => {
    options.onChange(storyId);
    return copy(reviewOf(storyId));
  };

  const service: WorkflowService = {
    get: async ({ storyId }) => {
      calls.get++;
      return copy(reviewOf(storyId));
    },
    command: () => Promise.reject(new RpcError('internal', 'commands are not in this stand-in')),
    comment: async ({ storyId, threadId, body, quote }) => {
      calls.comment++;
      if (faults.comment) throw faults.comment;
      const review = reviewOf(storyId);
      const id = review.comments.some((c) => c.threadId === threadId) ? crypto.randomUUID() : threadId;
      review.comments.push({ id, storyId, threadId, authorId: options.userId(), body, quote, createdAt: Date.now(), pending: true });
      if (!review.threads.some((t) => t.threadId === threadId)) review.threads.push({ threadId, resolved: false, resolvedBy: null, resolvedAt: null });
      return changed(storyId);
    },
    resolve: async ({ storyId, threadId, resolved }) => {
      calls.resolve++;
      const review = reviewOf(storyId);
      const thread = review.threads.find((t) => t.threadId === threadId);
      if (!thread) throw new RpcError('not_found', 'no such thread');
      Object.assign(thread, { resolved, resolvedBy: resolved ? options.userId() : null, resolvedAt: resolved ? Date.now() : null });
      return changed(storyId);
    },
    version: async ({ storyId, versionId }) => {
      calls.version.push(versionId);
      if (faults.version) throw faults.version;
      const state = versionStates.get(`${storyId}/${versionId}`);
      if (!state) throw new RpcError('not_found', 'version not cached and no server');
      return { versionId, state };
    },
    dismissRefusal: async ({ storyId }) => copy(reviewOf(storyId)),
  };

  return {
    service,
    calls,
    faults,
    reviewOf,
    /** Stores a version as the server would keep it (and tells the page, as core does). */
    addVersion(summary: VersionSummary, state: Uint8Array) {
      reviewOf(summary.storyId).versions.push(summary);
      versionStates.set(`${summary.storyId}/${summary.id}`, state);
      options.onChange(summary.storyId);
    },
    /** Sets who edited the story on the server and when (as a review fetch brings it). */
    setEditors(storyId: string, editors: StoryEditor[]) {
      reviewOf(storyId).editors = editors;
      options.onChange(storyId);
    },
    /** Adds a comment another user made (as a sync brings it). */
    addComment(comment: CommentRecord, thread?: Partial<ThreadState>) {
      const review = reviewOf(comment.storyId);
      review.comments.push({ ...comment, pending: false });
      const existing = review.threads.find((t) => t.threadId === comment.threadId);
      if (!existing) review.threads.push({ threadId: comment.threadId, resolved: false, resolvedBy: null, resolvedAt: null, ...thread });
      options.onChange(comment.storyId);
    },
    /** The server took the queued comments: nothing pending any more. */
    markSent(storyId: string) {
      for (const c of reviewOf(storyId).comments) c.pending = false;
      options.onChange(storyId);
    },
  };
}
