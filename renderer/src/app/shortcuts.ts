/** App-level shortcuts (the editor handles Ctrl/Cmd+B/I/U and undo/redo itself). */
export type AppShortcut = 'new-story' | 'find';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Ctrl on Windows/Linux, Cmd on macOS; both accepted so a remote keyboard works either way. */
export function matchShortcut(e: KeyLike): AppShortcut | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null;
  const key = e.key.toLowerCase();
  if (key === 'n') return 'new-story';
  if (key === 'f') return 'find';
  return null;
}

/**
 * Esc closes the open story (back to the list), unless something else took the key first
 * (the link box, the search box clearing its query: they call preventDefault) or an input
 * method is composing a character with it.
 */
export function isCloseStoryKey(e: KeyLike & { isComposing?: boolean; defaultPrevented?: boolean }): boolean {
  return (
    e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey && !e.isComposing && !e.defaultPrevented
  );
}

/**
 * Ctrl/Cmd+Enter in the editor: submit (the first press opens the pre-submit checklist, the
 * next one sends). Shift and Alt are left alone.
 */
export function isSubmitShortcut(e: KeyLike & { isComposing?: boolean }): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && !e.isComposing;
}
