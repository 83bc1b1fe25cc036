import * as Y from 'yjs';

/** What Yjs encodes for "no structs, no deletions" (e.g. the state of an empty document). */
const EMPTY = [0, 0];

/**
 * True when applying the update would change nothing: no inserted structs and no deletions.
 * Such a batch (a replayed stash core already had, edits that cancelled out in a merge) is
 * never sent, so it writes nothing. Bytes that do not decode are not "empty": they go to
 * core, which refuses them, and the queue sets them aside.
 */
export function isEmptyUpdate(update: Uint8Array): boolean {
  if (update.byteLength === 0) return true;
  if (update.byteLength === EMPTY.length && update.every((b, i) => b === EMPTY[i])) return true;
  // Anything carrying a struct is longer than a few bytes; only small updates need a look.
  if (update.byteLength > 64) return false;
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    return structs.length === 0 && ds.clients.size === 0;
  } catch {
    return false;
  }
}
