import type { AccountUser, Directory } from '../../../shared/domain/newsroom';
import type { StoryReview } from '../../../shared/domain/review';
import type { StoryStatus, StorySummary } from '../../../shared/domain/story';
import { allowedCommands, editReadOnlyReason, transitionOf, type StoryRelation } from '../../../shared/workflow/rules';
import type { CachedReview, OutboxItem } from './workflowStore';

/**
 * How this profile's user stands to a story, from what core knows offline: the account's
 * user and role, the cached directory (the rubrik a redaktur edits, with their sub-rubrik)
 * and the story's projection. A story this profile made and never synced is the user's own.
 */
export function localRelation(user: AccountUser, directory: Directory, story: StorySummary, createdBy: string | null): StoryRelation {
  const edited = new Set(directory.users.find((u) => u.id === user.id)?.rubrikIds ?? []);
  // The tree is depth-first: a parent always comes before its children.
  for (const r of directory.rubrik) if (r.parentId !== null && edited.has(r.parentId)) edited.add(r.id);
  const neverSynced = story.syncState === 'local' || story.syncState === 'conflict';
  return {
    role: user.role,
    isAuthor: story.penulisIds.includes(user.id) || createdBy === user.id || (createdBy === null && neverSynced),
    isAssignedRedaktur: story.redakturId === user.id || (story.rubrikId !== null && edited.has(story.rubrikId)),
  };
}

/** The status a story shows while commands wait: each queued command applied in order, as the server would. */
export function optimisticStatus(serverStatus: StoryStatus, outbox: readonly OutboxItem[]): StoryStatus {
  let status = serverStatus;
  for (const item of outbox) if (item.kind === 'command') status = transitionOf(item.body.command, status) ?? status;
  return status;
}

/** The StoryReview the renderer gets: the server's last word, plus what waits in the outbox. */
export function buildReview(input: {
  story: StorySummary;
  cached: CachedReview;
  outbox: readonly OutboxItem[];
  user: AccountUser | null;
  directory: Directory;
}): StoryReview {
  const { story, cached, outbox, user } = input;
  const server = cached.review;
  // The list's status follows the server (the changes feed sets it before the review is fetched again).
  const serverStatus: StoryStatus = story.status;
  const status = optimisticStatus(serverStatus, outbox);
  const relation = user ? localRelation(user, input.directory, story, cached.createdBy) : null;

  const comments: StoryReview['comments'] = (server?.comments ?? []).map((c) => ({ ...c, pending: false }));
  const threads = new Map((server?.threads ?? []).map((t) => [t.threadId, { ...t }]));
  for (const item of outbox) {
    if (item.kind !== 'comment') continue;
    const op = item.body;
    if (op.kind === 'post') {
      comments.push({ id: op.id, storyId: op.storyId, threadId: op.threadId, authorId: user?.id ?? '', body: op.body, quote: op.quote, createdAt: op.createdAt, pending: true });
      if (op.id === op.threadId) threads.set(op.threadId, { threadId: op.threadId, resolved: false, resolvedBy: null, resolvedAt: null });
    } else if (threads.has(op.threadId)) {
      threads.set(
        op.threadId,
        op.kind === 'resolve'
          ? { threadId: op.threadId, resolved: true, resolvedBy: user?.id ?? null, resolvedAt: op.createdAt }
          : { threadId: op.threadId, resolved: false, resolvedBy: null, resolvedAt: null },
      );
    }
  }
  const revisionShown = status === 'revision_requested' && serverStatus === 'revision_requested';
  return {
    storyId: story.id,
    status,
    serverStatus,
    revisionNote: revisionShown ? (server?.revisionNote ?? null) : null,
    revisionNoteBy: revisionShown ? (server?.revisionNoteBy ?? null) : null,
    // Nobody logged in: a story on this profile only, its writer may do nothing on the server yet.
    allowed: relation ? allowedCommands(relation, status) : [],
    // Logged out (or never logged in), every story here is written locally and stays editable.
    readOnlyReason: relation ? editReadOnlyReason(relation, status) : null,
    comments,
    threads: [...threads.values()],
    versions: server?.versions ?? [],
    // A review cached before the server named its editors has none.
    editors: server?.editors ?? [],
    pendingCommands: outbox.flatMap((item) => (item.kind === 'command' ? [{ id: item.id, command: item.body.command, issuedAt: item.body.issuedAt }] : [])),
    lastRefusal: cached.refusal,
  };
}
