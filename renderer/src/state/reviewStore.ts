import { create } from 'zustand';
import type { StoryReview } from '../../../shared/domain/review';
import { rpcErrorCode } from '../../../shared/rpc/errors';
import type { WorkflowCommand } from '../../../shared/workflow/rules';
import { core } from '../core/coreContext';

/**
 * The open story's review state (issue 9) as core keeps it: status, what this user may do,
 * why the text is read-only, the revision note, queued commands and the server's last
 * refusal, and the comments, threads and versions. The one copy of workflow.get in the page:
 * the workflow controls, the editor's lock, the comments and the history all read it, so
 * they never disagree (one lagging fetch could show a thread the lock has not caught up
 * with). Loaded when the story opens and again on every `reviewChanged` for it and every
 * reconnect to core (events sent while the link was down are lost).
 */
export interface ReviewState {
  storyId: string | null;
  /** null until core answered for the open story (or when it cannot: see `unavailable`). */
  review: StoryReview | null;
  /**
   * Core has no review state to give (a build without the workflow, or it refused the story):
   * the editor then works as before the workflow — editable, no actions.
   */
  unavailable: boolean;
  /** The command being handed to core now (its buttons wait). */
  sending: WorkflowCommand | null;
  /** Core refused a command at once (its local rules said no, or the link was down). */
  commandError: { command: WorkflowCommand; code: string } | null;
  /** The panel open under the workflow bar: the pre-submit checklist or the revision note form. */
  panel: 'checklist' | 'revision' | null;
}

const INITIAL: ReviewState = { storyId: null, review: null, unavailable: false, sending: null, commandError: null, panel: null };

export const useReview = create<ReviewState>(() => INITIAL);

const set = useReview.setState;
const get = useReview.getState;

/** Bumped by every load, so an answer overtaken by a newer one (or another story) is dropped. */
let loadSeq = 0;

function accept(review: StoryReview): void {
  if (review.storyId === get().storyId) set({ review, unavailable: false });
}

/**
 * Takes what core answered to a change this page made (a command, a comment, a resolve): it
 * is newer than any load still in flight, which is then dropped.
 */
export function acceptReview(review: StoryReview): void {
  if (review.storyId !== get().storyId) return;
  loadSeq++;
  accept(review);
}

/** Fetches the open story's review state; a failure keeps what is shown (or marks it unavailable when nothing is). */
export async function loadReview(): Promise<void> {
  const storyId = get().storyId;
  if (!storyId) return;
  const seq = ++loadSeq;
  try {
    const review = await core().client.services.workflow.get({ storyId });
    if (seq === loadSeq) accept(review);
  } catch {
    if (seq !== loadSeq || get().storyId !== storyId) return;
    // Keep what is shown. With nothing shown yet, the editor must not wait on the workflow:
    // a core without it (or one that failed to answer) leaves the story editable as before;
    // the next reviewChanged or reconnect loads again.
    if (get().review === null) set({ unavailable: true });
  }
}

/**
 * Follows a story while it is open (the editor calls this on mount); returns the function
 * that lets it go. Only one story is followed at a time.
 */
export function openReview(storyId: string): () => void {
  set({ ...INITIAL, storyId });
  const { client, endpoint } = core();
  const offEvent = client.on('reviewChanged', (e) => {
    if (e.storyId === get().storyId) void loadReview();
  });
  const offConnected = endpoint.onConnected(() => void loadReview());
  void loadReview();
  return () => {
    offEvent();
    offConnected();
    if (get().storyId === storyId) {
      loadSeq++;
      set(INITIAL);
    }
  };
}

/**
 * Hands a workflow command to core (it queues it in its outbox and sends it with the next
 * sync). Resolves true when core took it; a refusal at once is kept in `commandError`.
 */
export async function giveCommand(command: WorkflowCommand, note?: string): Promise<boolean> {
  const storyId = get().storyId;
  if (!storyId || get().sending) return false;
  set({ sending: command, commandError: null });
  try {
    const review = await core().client.services.workflow.command({ storyId, command, ...(note !== undefined ? { note } : {}) });
    acceptReview(review);
    if (get().storyId === storyId) set({ sending: null, panel: null });
    return true;
  } catch (error) {
    if (get().storyId === storyId) set({ sending: null, commandError: { command, code: rpcErrorCode(error) } });
    return false;
  }
}

export function openPanel(panel: ReviewState['panel']): void {
  set({ panel, commandError: null });
}

export function clearCommandError(): void {
  set({ commandError: null });
}

/** The user read the server's refusal: core forgets it. */
export async function dismissRefusal(): Promise<void> {
  const storyId = get().storyId;
  const review = get().review;
  if (!storyId || !review) return;
  // Hide it at once; core's answer (or the next load) confirms.
  set({ review: { ...review, lastRefusal: null } });
  try {
    acceptReview(await core().client.services.workflow.dismissRefusal({ storyId }));
  } catch {
    void loadReview();
  }
}

/** Whether core has answered for the open story (with its review state, or that it has none). */
export function reviewSettled(state: ReviewState): boolean {
  return state.review !== null || state.unavailable;
}

/**
 * Whether the open story's text is locked: until core has answered (a penulis opening an
 * approved story must not get a keystroke in first), and while it gives a read-only reason.
 */
export function editingLocked(state: ReviewState): boolean {
  return !reviewSettled(state) || (state.review?.readOnlyReason ?? null) !== null;
}
