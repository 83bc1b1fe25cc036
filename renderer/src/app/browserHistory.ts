import { parseRoute, routeHash, type Route } from './routes';

/**
 * The browser history side of opening and closing stories (routes.ts says what the
 * addresses are). Each story opened is a history entry, so Back and Forward move between
 * the list and stories and a story's address can be reloaded. An entry remembers whether
 * it was opened from the list: closing such a story goes back to that entry instead of
 * piling a new list entry on top (the state survives a reload of the entry).
 *
 * Nothing here rewrites the address before the user navigates: web mode's first address
 * carries its access token (`#token=…`), which the connection code reads at start.
 */
interface StoryEntryState {
  ruangStory: string;
  openedFromList: boolean;
}

function storyEntryState(value: unknown): StoryEntryState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<StoryEntryState>;
  return typeof v.ruangStory === 'string' && typeof v.openedFromList === 'boolean' ? (v as StoryEntryState) : null;
}

export function currentRoute(): Route {
  return parseRoute(window.location.hash);
}

/** file:// or a sandboxed origin may refuse history calls; the app then works without addresses. */
function tryHistory(change: () => void): void {
  try {
    change();
  } catch (error) {
    console.warn('history not available', error);
  }
}

/** A new entry for `storyId`, on top of the current one. */
export function pushStoryEntry(storyId: string, openedFromList: boolean): void {
  const state: StoryEntryState = { ruangStory: storyId, openedFromList };
  tryHistory(() => window.history.pushState(state, '', routeHash(storyId)));
}

/**
 * Leaves the story shown by the current entry for the list: back to the list entry it was
 * opened from, else a new list entry (or, with `replace`, the story entry becomes the list:
 * for an address that leads nowhere).
 */
export function leaveStoryEntry({ replace = false }: { replace?: boolean } = {}): void {
  const state = storyEntryState(window.history.state);
  if (state?.openedFromList && state.ruangStory === storyIdInAddress()) {
    tryHistory(() => window.history.back());
  } else if (replace) {
    tryHistory(() => window.history.replaceState(null, '', routeHash(null)));
  } else {
    tryHistory(() => window.history.pushState(null, '', routeHash(null)));
  }
}

function storyIdInAddress(): string | null {
  const route = currentRoute();
  return route.kind === 'story' ? route.storyId : null;
}
