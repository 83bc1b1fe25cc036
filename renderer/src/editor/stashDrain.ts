import { fromBase64 } from '../../../shared/bytes/base64';
import { rpcErrorCode, rpcFailureKind } from '../../../shared/rpc/errors';
import { isEmptyUpdate } from './emptyUpdate';
import { forgetRefused, keepRefused, readRefused, refusedStoryIds, type RefusedEdit } from './setAside';
import { clearStashIf, readStashText, stashedStoryIds } from './stash';

export type PushStory = (input: { storyId: string; update: Uint8Array }) => Promise<unknown>;

export interface DrainReport {
  /** Stashes core took (or that held nothing): cleared. */
  delivered: string[];
  /** Stashes core refused for good: moved to the refused edits, cleared. */
  refused: string[];
  /** Stashes that could not be sent now (link down, core failing): kept for the next connect. */
  kept: string[];
  /** Earlier refusals of the 'internal' kind that core took this time. */
  recovered: string[];
}

/**
 * Pushes every story's stash to core, without opening the stories (docs.push needs no
 * open), so edits stashed when the page went away reach SQLite, the list and search at
 * the next start rather than whenever that story is opened again. A stash is cleared once
 * core answered persisted (core writes nothing for a push that changes nothing) and only
 * if no newer stash replaced it meanwhile. Edits refused earlier because core itself
 * failed ('internal') get one more try each time; those refused for good stay for the user.
 */
export async function drainStashes(push: PushStory): Promise<DrainReport> {
  const report: DrainReport = { delivered: [], refused: [], kept: [], recovered: [] };
  for (const storyId of stashedStoryIds()) {
    const text = readStashText(storyId);
    if (!text) continue;
    let update: Uint8Array;
    try {
      update = fromBase64(text);
    } catch {
      console.error(`the stash of story ${storyId} does not decode; it is left as it is`);
      report.kept.push(storyId);
      continue;
    }
    if (isEmptyUpdate(update)) {
      clearStashIf(storyId, text);
      report.delivered.push(storyId);
      continue;
    }
    try {
      await push({ storyId, update });
      clearStashIf(storyId, text);
      report.delivered.push(storyId);
    } catch (error) {
      if (rpcFailureKind(error) !== 'permanent') {
        report.kept.push(storyId);
        continue;
      }
      console.warn(`core refused the stashed edits of story ${storyId}; they are kept apart`, error);
      if (keepRefused(storyId, update, rpcErrorCode(error))) clearStashIf(storyId, text);
      report.refused.push(storyId);
    }
  }
  for (const storyId of refusedStoryIds()) {
    const delivered: RefusedEdit[] = [];
    for (const entry of readRefused(storyId)) {
      if (entry.code !== 'internal') continue;
      try {
        await push({ storyId, update: entry.update });
        delivered.push(entry);
      } catch {
        // Still failing: stays set aside.
      }
    }
    forgetRefused(storyId, delivered);
    if (delivered.length > 0) report.recovered.push(storyId);
  }
  return report;
}
