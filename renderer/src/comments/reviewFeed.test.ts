import { describe, expect, it } from 'vitest';
import type { CoreConnection } from '../core/connection';
import { settle, standInCore } from '../testing/standInCore';
import { useReviewFeed, watchReview } from './reviewFeed';

const STORY = '00000000-0000-4000-8000-0000000000e1';
const OTHER = '00000000-0000-4000-8000-0000000000e2';

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

describe('watchReview', () => {
  it("follows the open story's review: reviewChanged for it asks again, for another story does not; a reconnect asks again", async () => {
    const stand = standInCore();
    const { connection, reconnect, listeners } = withReconnect(stand.connection);
    const stop = watchReview(connection, STORY);
    await settle();
    expect(useReviewFeed.getState().review?.storyId).toBe(STORY);
    expect(stand.workflow.calls.get).toBe(1);

    stand.emit('reviewChanged', { storyId: OTHER });
    await settle();
    expect(stand.workflow.calls.get).toBe(1);

    stand.workflow.addComment({ id: STORY, storyId: STORY, threadId: STORY, authorId: 'u', body: 'x', quote: 'q', createdAt: 1 });
    await settle();
    expect(stand.workflow.calls.get).toBe(2);
    expect(useReviewFeed.getState().review?.comments).toHaveLength(1);

    reconnect();
    await settle();
    expect(stand.workflow.calls.get).toBe(3);

    stop();
    expect(useReviewFeed.getState()).toMatchObject({ storyId: null, review: null });
    expect(listeners).toHaveLength(0);
    stand.emit('reviewChanged', { storyId: STORY });
    await settle();
    expect(stand.workflow.calls.get).toBe(3);
  });

  it('a core without the workflow marks it unavailable (the panels stay out of the way)', async () => {
    const stand = standInCore();
    stand.workflow.service.get = () => Promise.reject(new Error('unknown_method'));
    const stop = watchReview(stand.connection, STORY);
    await settle();
    expect(useReviewFeed.getState().unavailable).toBe(true);
    stop();
  });
});
