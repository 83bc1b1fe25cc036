import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreConnection } from '../core/connection';
import { setCore } from '../core/coreContext';
import { settle, standInCore } from '../testing/standInCore';
import { acceptReview, dismissRefusal, editingLocked, giveCommand, openReview, useReview } from './reviewStore';

const STORY = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const AUTHOR = { role: 'penulis', isAuthor: true, isAssignedRedaktur: false } as const;
const DESK = { role: 'redaktur', isAuthor: false, isAssignedRedaktur: true } as const;

let stand: ReturnType<typeof standInCore>;
let close: (() => void) | null = null;

beforeEach(() => {
  stand = standInCore();
  setCore(stand.connection);
});
afterEach(() => {
  close?.();
  close = null;
});

/** The stand-in's link with a reconnect the test can trigger (the memory link never drops). */
function withReconnect(connection: CoreConnection) {
  const listeners: Array<(isReconnect: boolean) => void> = [];
  const endpoint = Object.assign(Object.create(connection.endpoint), {
    onConnected: (cb: (isReconnect: boolean) => void) => {
      listeners.push(cb);
      return () => listeners.splice(listeners.indexOf(cb), 1);
    },
  });
  return { connection: { ...connection, endpoint }, reconnect: () => listeners.forEach((cb) => cb(true)), listeners };
}

const open = async (storyId = STORY) => {
  close?.();
  close = openReview(storyId);
  await settle();
};

describe('review store', () => {
  it('loads the open story’s review: status, allowed actions, no read-only reason for its author', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    await open();
    const { review } = useReview.getState();
    expect(review?.status).toBe('draft');
    expect(review?.allowed).toEqual(['submit', 'spike']);
    expect(editingLocked(useReview.getState())).toBe(false);
  });

  it('keeps the text locked until core has answered, and while core gives a read-only reason', async () => {
    let release!: () => void;
    stand.commands.state.getGate = new Promise((r) => (release = r));
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'approved' });
    close = openReview(STORY);
    await settle();
    expect(useReview.getState().review).toBeNull();
    expect(editingLocked(useReview.getState())).toBe(true);
    release();
    await settle();
    expect(useReview.getState().review?.readOnlyReason).toBe('approved');
    expect(editingLocked(useReview.getState())).toBe(true);
  });

  it('a core without the workflow leaves the story editable, with no actions', async () => {
    // Every workflow.* call refuses, as core does before the workflow is built.
    stand = standInCore({ workflow: false });
    setCore(stand.connection);
    await open();
    expect(useReview.getState()).toMatchObject({ review: null, unavailable: true });
    expect(editingLocked(useReview.getState())).toBe(false);
  });

  it('follows reviewChanged for the open story only', async () => {
    stand.commands.review(STORY, { relation: DESK, serverStatus: 'submitted' });
    stand.commands.review(OTHER, { relation: DESK, serverStatus: 'submitted' });
    await open();
    stand.commands.state.stories.get(STORY)!.serverStatus = 'in_review';
    stand.emit('reviewChanged', { storyId: STORY });
    await settle();
    expect(useReview.getState().review?.status).toBe('in_review');
    expect(useReview.getState().review?.allowed).toEqual(['request_revision', 'approve', 'spike']);
  });

  it('a command given offline shows as pending, with the status it leads to, until it is sent', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    stand.commands.state.online = false;
    await open();
    expect(await giveCommand('submit')).toBe(true);
    let review = useReview.getState().review!;
    expect(review.status).toBe('submitted');
    expect(review.serverStatus).toBe('draft');
    expect(review.pendingCommands.map((c) => c.command)).toEqual(['submit']);
    stand.commands.deliver(STORY);
    await settle();
    review = useReview.getState().review!;
    expect(review.pendingCommands).toEqual([]);
    expect(review.serverStatus).toBe('submitted');
  });

  it('a command core refuses at once is kept to show, and the state stays', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    await open();
    expect(await giveCommand('approve')).toBe(false);
    expect(useReview.getState().commandError).toEqual({ command: 'approve', code: 'workflow_refused' });
    expect(useReview.getState().review?.status).toBe('draft');
  });

  it('the server’s refusal shows until dismissed, and core forgets it then', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    stand.commands.state.online = false;
    await open();
    await giveCommand('submit');
    stand.commands.refuse(STORY, 'wrong_status', 'Naskah sudah dibatalkan redaktur');
    await settle();
    expect(useReview.getState().review?.lastRefusal).toMatchObject({ command: 'submit', code: 'wrong_status' });
    await dismissRefusal();
    await settle();
    expect(useReview.getState().review?.lastRefusal).toBeNull();
    expect(stand.commands.state.stories.get(STORY)!.lastRefusal).toBeNull();
  });

  it('one load serves the workflow and the comments: asked on open, on reviewChanged for the story (not another), on reconnect; closing lets go', async () => {
    const { connection, reconnect, listeners } = withReconnect(stand.connection);
    setCore(connection);
    stand.commands.review(STORY, { relation: DESK, serverStatus: 'submitted' });
    await open();
    expect(stand.workflow.calls.get).toBe(1);
    expect(useReview.getState().review).toMatchObject({ status: 'submitted', comments: [] });

    stand.emit('reviewChanged', { storyId: OTHER });
    await settle();
    expect(stand.workflow.calls.get).toBe(1);

    // A comment from another client arrives (core emits reviewChanged): the same state now has it.
    stand.workflow.addComment({ id: OTHER, storyId: STORY, threadId: OTHER, authorId: 'u', body: 'x', quote: 'q', createdAt: 1 });
    await settle();
    expect(stand.workflow.calls.get).toBe(2);
    expect(useReview.getState().review).toMatchObject({ status: 'submitted', serverStatus: 'submitted', readOnlyReason: null });
    expect(useReview.getState().review?.comments).toHaveLength(1);

    reconnect();
    await settle();
    expect(stand.workflow.calls.get).toBe(3);

    close!();
    close = null;
    expect(useReview.getState()).toMatchObject({ storyId: null, review: null });
    expect(listeners).toHaveLength(0);
    stand.emit('reviewChanged', { storyId: STORY });
    await settle();
    expect(stand.workflow.calls.get).toBe(3);
  });

  it('an answer to this page’s own change wins over a load still in flight', async () => {
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'draft' });
    await open();
    let release!: () => void;
    stand.commands.state.getGate = new Promise((r) => (release = r));
    // Core tells of a change and answers the comment; the load it set off is older than the answer.
    const answer = await stand.commands.service.comment({ storyId: STORY, threadId: OTHER, body: 'Sumber?', quote: 'q' });
    await settle();
    stand.workflow.reviewOf(STORY).comments = [];
    acceptReview(answer);
    release();
    await settle();
    expect(useReview.getState().review?.comments.map((c) => c.body)).toEqual(['Sumber?']);
    expect(useReview.getState().review?.allowed).toEqual(['submit', 'spike']);
  });

  it('drops an answer for a story no longer open', async () => {
    let release!: () => void;
    stand.commands.review(STORY, { relation: AUTHOR, serverStatus: 'approved' });
    stand.commands.review(OTHER, { relation: AUTHOR, serverStatus: 'draft' });
    stand.commands.state.getGate = new Promise((r) => (release = r));
    close = openReview(STORY);
    await settle();
    stand.commands.state.getGate = null;
    await open(OTHER);
    release();
    await settle();
    expect(useReview.getState().review).toMatchObject({ storyId: OTHER, status: 'draft' });
  });
});
