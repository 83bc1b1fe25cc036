import { fromBase64, toBase64 } from '../../../shared/bytes/base64';

/**
 * Edits core has not acknowledged when the page goes away (tab closed, reload or quit while
 * core is unreachable) are kept in localStorage, one key per story. They are pushed to core
 * as soon as the app connects again (stashDrain.ts), whether or not the story is opened,
 * and replayed into the document if the story opens first. Yjs updates are idempotent, so
 * sending or replaying something core already has is harmless.
 */
const PREFIX = 'ruang:unsent:';
const KEY = (storyId: string) => `${PREFIX}${storyId}`;

export function storage(): Storage | null {
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
  const text = readStashText(storyId);
  if (!text) return null;
  try {
    return fromBase64(text);
  } catch {
    return null;
  }
}

/** The stash as stored, to tell later whether it changed meanwhile (see clearStashIf). */
export function readStashText(storyId: string): string | null {
  try {
    return storage()?.getItem(KEY(storyId)) ?? null;
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

/**
 * Clears the stash only if it still holds `text`: an open session may have stashed newer
 * edits while the old ones were on their way to core.
 */
export function clearStashIf(storyId: string, text: string): void {
  if (readStashText(storyId) === text) clearStash(storyId);
}

/** Every story with a stash, in this origin's localStorage. */
export function stashedStoryIds(): string[] {
  const store = storage();
  if (!store) return [];
  const ids: string[] = [];
  try {
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key?.startsWith(PREFIX)) ids.push(key.slice(PREFIX.length));
    }
  } catch {
    return [];
  }
  return ids;
}
