import { fromBase64, toBase64 } from '../../../shared/bytes/base64';
import { storage } from './stash';

/**
 * Edits core refused for good (invalid_input, not_found, story_damaged, or 'internal' after
 * several tries). They are not retried in front of newer edits, and never dropped either:
 * each refused batch is appended under its own key per story, apart from the stash (which
 * later edits overwrite), with the code core gave, so they can be recovered later.
 */
const PREFIX = 'ruang:refused:';
const KEY = (storyId: string) => `${PREFIX}${storyId}`;

export interface RefusedEdit {
  /** The RpcError code core answered with. */
  code: string;
  /** When it was set aside (ms since the epoch). */
  at: number;
  update: Uint8Array;
}

interface StoredEntry {
  code: string;
  at: number;
  update: string;
}

function readEntries(storyId: string): StoredEntry[] {
  try {
    const text = storage()?.getItem(KEY(storyId));
    if (!text) return [];
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as StoredEntry[]) : [];
  } catch {
    return [];
  }
}

function writeEntries(storyId: string, entries: StoredEntry[]): boolean {
  try {
    const store = storage();
    if (!store) return false;
    if (entries.length === 0) store.removeItem(KEY(storyId));
    else store.setItem(KEY(storyId), JSON.stringify(entries));
    return true;
  } catch {
    return false;
  }
}

const listeners = new Set<(storyId: string) => void>();

/** Called whenever a story's refused edits change (an open editor shows their count). */
export function onRefusedChanged(listener: (storyId: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(storyId: string): void {
  for (const listener of listeners) listener(storyId);
}

/**
 * Appends a refused batch (once: the same bytes refused again, say by the drain and by the
 * open editor, are kept once); false when storage refused the write (the caller must say so).
 */
export function keepRefused(storyId: string, update: Uint8Array, code: string, at = Date.now()): boolean {
  const entries = readEntries(storyId);
  const encoded = toBase64(update);
  if (entries.some((e) => e.update === encoded)) return true;
  entries.push({ code, at, update: encoded });
  const kept = writeEntries(storyId, entries);
  if (kept) changed(storyId);
  return kept;
}

export function readRefused(storyId: string): RefusedEdit[] {
  const result: RefusedEdit[] = [];
  for (const e of readEntries(storyId)) {
    try {
      result.push({ code: e.code, at: e.at, update: fromBase64(e.update) });
    } catch {
      // An entry that does not decode stays stored as it is; it is just not offered here.
    }
  }
  return result;
}

/** Edits set aside because core itself failed ('internal'): worth another try once core works again. */
export function hasRetryableRefused(storyId: string): boolean {
  return readEntries(storyId).some((e) => e.code === 'internal');
}

export function refusedCount(storyId: string): number {
  return readEntries(storyId).length;
}

/** Removes the entries core has since taken (matched by bytes). */
export function forgetRefused(storyId: string, delivered: RefusedEdit[]): void {
  if (delivered.length === 0) return;
  const gone = new Set(delivered.map((d) => toBase64(d.update)));
  if (writeEntries(storyId, readEntries(storyId).filter((e) => !gone.has(e.update)))) changed(storyId);
}

export function refusedStoryIds(): string[] {
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
