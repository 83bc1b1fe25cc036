import { fromBase64, toBase64 } from '../../../shared/bytes/base64';

/**
 * Edits core has not acknowledged when the page goes away (tab closed, reload while core
 * is unreachable) are kept in localStorage and replayed into the document the next time
 * the story opens. Yjs updates are idempotent, so replaying something core already has
 * is harmless.
 */
const KEY = (storyId: string) => `ruang:unsent:${storyId}`;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function writeStash(storyId: string, update: Uint8Array): void {
  try {
    storage()?.setItem(KEY(storyId), toBase64(update));
  } catch {
    // Quota or privacy mode: nothing more we can do on the way out.
  }
}

export function readStash(storyId: string): Uint8Array | null {
  try {
    const text = storage()?.getItem(KEY(storyId));
    return text ? fromBase64(text) : null;
  } catch {
    return null;
  }
}

export function clearStash(storyId: string): void {
  try {
    storage()?.removeItem(KEY(storyId));
  } catch {
    // ignore
  }
}
