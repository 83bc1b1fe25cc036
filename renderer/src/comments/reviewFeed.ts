import { create } from 'zustand';
import type { StoryReview } from '../../../shared/domain/review';
import type { CoreConnection } from '../core/connection';

/**
 * The open story's review state (comments, threads, versions) as core answers workflow.get:
 * fetched when the story opens and again on every `reviewChanged` for it. `unavailable` when
 * core does not offer the workflow (an older core), so the panels stay out of the way.
 */
interface ReviewFeedState {
  storyId: string | null;
  review: StoryReview | null;
  unavailable: boolean;
}

export const useReviewFeed = create<ReviewFeedState>(() => ({ storyId: null, review: null, unavailable: false }));

/** An answer core gave after a change this page made (comment, resolve): newest wins. */
export function applyReview(review: StoryReview): void {
  const { storyId } = useReviewFeed.getState();
  if (review.storyId === storyId) useReviewFeed.setState({ review, unavailable: false });
}

/**
 * Follows `storyId`'s review state until the returned function is called: asks again on every
 * reviewChanged for it and after every reconnect (events sent while the link was down are lost).
 */
export function watchReview(connection: CoreConnection, storyId: string): () => void {
  const { client } = connection;
  let live = true;
  let asked = 0;
  useReviewFeed.setState({ storyId, review: null, unavailable: false });
  const fetch = () => {
    const ticket = ++asked;
    client.services.workflow.get({ storyId }).then(
      (review) => {
        // A reply overtaken by a newer request is dropped: the newer one knows more.
        if (live && ticket === asked) applyReview(review);
      },
      (error: unknown) => {
        if (!live || ticket !== asked) return;
        console.warn('workflow.get failed', error);
        if (useReviewFeed.getState().review === null) useReviewFeed.setState({ unavailable: true });
      },
    );
  };
  const off = client.on('reviewChanged', (event) => {
    if (event.storyId === storyId) fetch();
  });
  const offConnected = connection.endpoint.onConnected((isReconnect) => {
    if (isReconnect) fetch();
  });
  fetch();
  return () => {
    live = false;
    off();
    offConnected();
    if (useReviewFeed.getState().storyId === storyId) useReviewFeed.setState({ storyId: null, review: null, unavailable: false });
  };
}
