import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { AccountUser, Directory } from '../../../shared/domain/newsroom';
import type { StoryReview } from '../../../shared/domain/review';
import type { WorkflowService } from '../../../shared/rpc/contract';
import { RpcError } from '../../../shared/rpc/protocol';
import type { VersionResponse } from '../../../shared/server-api/workflow';
import { blockingFailureCodes, runChecklist } from '../../../shared/workflow/checklist';
import { decideCommand } from '../../../shared/workflow/rules';
import type { StoryDocs } from '../docs/storyDocs';
import type { StoryRepository } from '../stories/storyRepository';
import { callServer, ServerCallError, type FetchLike } from '../sync/serverHttp';
import type { ServerSession } from '../sync/session';
import { buildReview, localRelation, optimisticStatus } from './reviewState';
import type { WorkflowStore } from './workflowStore';

export interface WorkflowServiceOptions {
  store: WorkflowStore;
  stories: StoryRepository;
  docs: StoryDocs;
  /** The profile's logged-in user (kept while the session is expired), or null. */
  user(): AccountUser | null;
  directory(): Directory;
  /** The session to fetch a version with, when one is usable. */
  session(): ServerSession | null;
  now: () => number;
  fetch?: FetchLike;
  /** Something was queued: sync soon. */
  onQueued(): void;
  onReviewChanged(storyId: string): void;
}

/**
 * `workflow.*` (issue 9): the story's review from the local cache (offline too), and
 * commands and comments queued in the durable outbox for the next sync. A command the rules
 * refuse for what this profile knows (role, assignment, status with the queued commands
 * applied, the blocking checklist on submit) is refused at once with `workflow_refused`;
 * the server decides the rest.
 */
export function createWorkflowService(options: WorkflowServiceOptions): WorkflowService {
  const { store, stories } = options;

  function summaryOf(storyId: string) {
    const story = stories.summaryById(storyId);
    if (!story) throw new RpcError('not_found', `No story ${storyId}`);
    return story;
  }

  function review(storyId: string): StoryReview {
    return buildReview({ story: summaryOf(storyId), cached: store.read(storyId), outbox: store.outboxOf(storyId), user: options.user(), directory: options.directory() });
  }

  function queued(storyId: string): StoryReview {
    options.onReviewChanged(storyId);
    options.onQueued();
    return review(storyId);
  }

  const refused = (message: string) => new RpcError('workflow_refused', message);

  return {
    async get({ storyId }) {
      return review(storyId);
    },

    async command({ storyId, command, note }) {
      const story = summaryOf(storyId);
      const user = options.user();
      if (!user) throw refused('log in to the newsroom server first: workflow commands go through it');
      if (story.conflictOf !== null) throw refused('a salinan konflik stays on this profile: copy what you need into a story of the newsroom');
      if (command === 'request_revision' && !note) throw refused('a revision request needs a note for the reporter');
      const cached = store.read(storyId);
      const status = optimisticStatus(story.status, store.outboxOf(storyId));
      const decision = decideCommand(command, localRelation(user, options.directory(), story, cached.createdBy), status);
      if (!decision.ok) {
        throw refused(decision.reason === 'forbidden' ? `"${command}" is not yours to give on this story` : `"${command}" does not apply to a story that is ${status}`);
      }
      if (command === 'submit') {
        const doc = new Y.Doc();
        try {
          Y.applyUpdate(doc, options.docs.stateOf(storyId));
          const failures = blockingFailureCodes(runChecklist(doc));
          if (failures.length > 0) throw refused(`the story is not ready to submit: ${failures.join(', ')}`);
        } finally {
          doc.destroy();
        }
      }
      const id = randomUUID();
      store.enqueue(
        { id, storyId, kind: 'command', body: { id, storyId, command, issuedAt: options.now(), ...(note ? { note } : {}) } },
        options.now(),
      );
      // The list row shows the status the command leads to while it waits.
      options.docs.announce(storyId);
      return queued(storyId);
    },

    async comment({ storyId, threadId, body, quote }) {
      summaryOf(storyId);
      if (!options.user()) throw refused('log in to the newsroom server first: comments go through it');
      const known = review(storyId).comments.some((c) => c.threadId === threadId);
      // A new thread's id is its first comment's id.
      const id = known ? randomUUID() : threadId;
      store.enqueue({ id, storyId, kind: 'comment', body: { kind: 'post', id, storyId, threadId, body, quote, createdAt: options.now() } }, options.now());
      return queued(storyId);
    },

    async resolve({ storyId, threadId, resolved }) {
      summaryOf(storyId);
      if (!options.user()) throw refused('log in to the newsroom server first: comments go through it');
      if (!review(storyId).threads.some((t) => t.threadId === threadId)) throw new RpcError('not_found', `No thread ${threadId} on this story`);
      const id = randomUUID();
      store.enqueue({ id, storyId, kind: 'comment', body: { kind: resolved ? 'resolve' : 'reopen', id, storyId, threadId, createdAt: options.now() } }, options.now());
      return queued(storyId);
    },

    async version({ storyId, versionId }) {
      const cached = store.versionState(storyId, versionId);
      if (cached) return { versionId, state: cached };
      const session = options.session();
      if (!session) throw new RpcError('server_unreachable', 'this version is not on this profile yet and there is no session to fetch it with');
      let answer: VersionResponse;
      try {
        answer = await callServer<VersionResponse>(options.fetch ?? ((url, init) => fetch(url, init)), session, { method: 'GET', path: `stories/${storyId}/versions/${versionId}` }, 30_000);
      } catch (error) {
        if (error instanceof ServerCallError && error.status === 404) throw new RpcError('not_found', `No version ${versionId} of this story`);
        throw new RpcError('server_unreachable', `the version could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
      }
      const state = new Uint8Array(Buffer.from(answer.state, 'base64'));
      store.saveVersionState(storyId, versionId, state);
      return { versionId, state };
    },

    async dismissRefusal({ storyId }) {
      summaryOf(storyId);
      store.setRefusal(storyId, null);
      options.onReviewChanged(storyId);
      return review(storyId);
    },
  };
}
