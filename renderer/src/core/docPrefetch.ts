import { core } from './coreContext';

type Opened = Promise<{ storyId: string; state: Uint8Array }>;

/** A docs.open started on the press of a row, before the click and the editor's render. */
let pending: { storyId: string; opened: Opened; timer: ReturnType<typeof setTimeout> } | null = null;

const UNCLAIMED_MS = 5_000;

/**
 * Starts loading a story's document as soon as the user presses its row, so the round trip
 * to core overlaps the click and the editor's first render. Unclaimed within a few seconds
 * (the press did not become a click), core is told the story is closed again.
 */
export function preopenDoc(storyId: string): void {
  if (pending?.storyId === storyId) return;
  // A press on another row first: the earlier press did not become a click, so let go of
  // it now (core would otherwise keep it held for as long as this window lives).
  if (pending) release(pending);
  const opened = core().client.services.docs.open({ storyId });
  opened.catch(() => {});
  const timer = setTimeout(() => {
    if (pending?.opened === opened) release(pending);
  }, UNCLAIMED_MS);
  pending = { storyId, opened, timer };
}

function release(unclaimed: NonNullable<typeof pending>): void {
  clearTimeout(unclaimed.timer);
  if (pending === unclaimed) pending = null;
  core().client.services.docs.close({ storyId: unclaimed.storyId }).catch(() => {});
}

/** The pre-opened document for this story, if any (each pre-open is claimed once). */
export function claimPreopened(storyId: string): Opened | null {
  if (pending?.storyId !== storyId) return null;
  const { opened, timer } = pending;
  clearTimeout(timer);
  pending = null;
  return opened;
}
