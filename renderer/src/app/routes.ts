/**
 * The app's addresses, kept in the hash so both hosts serve them unchanged (web mode's
 * HTTP server and Electron's app:// protocol only ever serve index.html):
 *   `#/`                the story list
 *   `#/story/<uuid>`    one story open in the editor
 * Any other hash (none, `#token=…` from web mode's printed address, an old bookmark) is
 * the list. `#/story/` followed by something that is not a story id is reported as a
 * story that does not exist, so a mistyped address says so instead of silently showing
 * the list.
 */
export type Route = { kind: 'list' } | { kind: 'story'; storyId: string } | { kind: 'missing-story' };

const STORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STORY_HASH = /^#\/story\/([^/?#]*)\/?$/;

export const LIST_ROUTE: Route = { kind: 'list' };

export function parseRoute(hash: string): Route {
  const match = STORY_HASH.exec(hash);
  if (!match) return LIST_ROUTE;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return { kind: 'missing-story' };
  }
  // Core creates lower-case ids; an address typed in upper case means the same story.
  return STORY_ID.test(id) ? { kind: 'story', storyId: id.toLowerCase() } : { kind: 'missing-story' };
}

/** The hash for the list (null) or for one story. */
export function routeHash(storyId: string | null): string {
  return storyId ? `#/story/${encodeURIComponent(storyId)}` : '#/';
}
