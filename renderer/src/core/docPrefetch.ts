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
  const opened = core().client.services.docs.open({ storyId });
  opened.catch(() => {});
  const timer = setTimeout(() => {
    if (pending?.opened !== opened) return;
    pending = null;
    core().client.services.docs.close({ storyId }).catch(() => {});
  }, UNCLAIMED_MS);
  pending = { storyId, opened, timer };
}

/** The pre-opened document for this story, if any (each pre-open is claimed once). */
export function claimPreopened(storyId: string): Opened | null {
  if (pending?.storyId !== storyId) return null;
  const { opened, timer } = pending;
  clearTimeout(timer);
  pending = null;
  return opened;
}
