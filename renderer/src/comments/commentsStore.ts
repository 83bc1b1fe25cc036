import { create } from 'zustand';
import type { CoreClient } from '../core/connection';
import { acceptReview } from '../state/reviewStore';
import type { Anchors } from './anchors';

/**
 * What the body editor lets the comments panel do (the panel lives outside the Lexical
 * composer): set by the editor's CommentsPlugin while it is mounted.
 */
export interface CommentEditorBridge {
  /**
   * The selected text (the selection is kept for `wrap`), or null when nothing is selected;
   * `canMark` is false while the editor is read-only (the comment then keeps only its quote).
   */
  captureSelection(): { text: string; canMark: boolean } | null;
  /** Marks the captured selection with the thread id; false when it cannot (read-only, selection gone). */
  wrap(threadId: string): boolean;
  /** Takes a thread id off the text again (its comment could not be posted). */
  unwrap(threadId: string): void;
  /** Shows a thread's passage as the current one (null: none) and scrolls to it. */
  highlight(threadId: string | null): void;
}

export interface CommentDraft {
  quote: string;
  /** The passage will be marked in the text (false while the editor is read-only for this user). */
  canMark: boolean;
  error: string | null;
  sending: boolean;
}

interface CommentsState {
  bridge: CommentEditorBridge | null;
  anchors: Anchors;
  /** The editor has a non-empty selection to comment on. */
  canComment: boolean;
  draft: CommentDraft | null;
  activeThreadId: string | null;
}

const EMPTY: Anchors = new Map();

export const useComments = create<CommentsState>(() => ({ bridge: null, anchors: EMPTY, canComment: false, draft: null, activeThreadId: null }));

export function resetComments(): void {
  useComments.setState({ anchors: EMPTY, canComment: false, draft: null, activeThreadId: null });
}

/** Starts a new thread on the selected text (comment-add, Ctrl/Cmd+Alt+M). False when nothing is selected. */
export function startComment(): boolean {
  const { bridge } = useComments.getState();
  const captured = bridge?.captureSelection() ?? null;
  if (!captured || captured.text.trim() === '') return false;
  useComments.setState({ draft: { quote: captured.text, canMark: captured.canMark, error: null, sending: false } });
  return true;
}

export function cancelComment(): void {
  useComments.setState({ draft: null });
}

const QUOTE_MAX = 2000;

/**
 * Posts the draft as a new thread: the passage is marked first (the selection is still the
 * one the user made), then core queues the comment. When core does not take it the mark is
 * taken off again and the draft stays open with the reason, so nothing typed is lost.
 */
export async function submitComment(client: CoreClient, storyId: string, body: string, failed: (error: unknown) => string): Promise<boolean> {
  const { draft, bridge } = useComments.getState();
  const text = body.trim();
  if (!draft || draft.sending || text === '') return false;
  const threadId = crypto.randomUUID();
  const marked = bridge?.wrap(threadId) ?? false;
  useComments.setState({ draft: { ...draft, sending: true, error: null } });
  try {
    const review = await client.services.workflow.comment({ storyId, threadId, body: text, quote: draft.quote.slice(0, QUOTE_MAX) });
    acceptReview(review);
    useComments.setState({ draft: null, activeThreadId: threadId });
    return true;
  } catch (error) {
    if (marked) bridge?.unwrap(threadId);
    useComments.setState({ draft: { ...draft, sending: false, error: failed(error) } });
    return false;
  }
}

/** A reply in an existing thread. Throws what core answered when it does not take it. */
export async function replyToThread(client: CoreClient, storyId: string, threadId: string, quote: string, body: string): Promise<void> {
  const review = await client.services.workflow.comment({ storyId, threadId, body: body.trim(), quote: quote.slice(0, QUOTE_MAX) });
  acceptReview(review);
}

export async function setThreadResolved(client: CoreClient, storyId: string, threadId: string, resolved: boolean): Promise<void> {
  acceptReview(await client.services.workflow.resolve({ storyId, threadId, resolved }));
}

/** Click on a thread (or on its passage): its passage becomes the highlighted one; null: none. */
export function activateThread(threadId: string | null): void {
  useComments.setState({ activeThreadId: threadId });
  useComments.getState().bridge?.highlight(threadId);
}
