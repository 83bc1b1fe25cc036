import type { KeyLike } from '../app/shortcuts';

/**
 * Ctrl+Alt+M (Cmd+Alt+M on macOS): comment on the selection. Matched on the physical key,
 * since Alt changes the character on some layouts (Option+M is "µ" on a Mac).
 */
export function isCommentShortcut(e: KeyLike & { code?: string }): boolean {
  if (!(e.ctrlKey || e.metaKey) || !e.altKey || e.shiftKey) return false;
  return e.code === 'KeyM' || e.key.toLowerCase() === 'm';
}
