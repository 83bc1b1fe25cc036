import { describe, expect, it } from 'vitest';
import { matchShortcut } from './shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('matchShortcut', () => {
  it('maps Ctrl/Cmd+N and Ctrl/Cmd+F', () => {
    expect(matchShortcut(key('n', { ctrlKey: true }))).toBe('new-story');
    expect(matchShortcut(key('N', { metaKey: true }))).toBe('new-story');
    expect(matchShortcut(key('f', { ctrlKey: true }))).toBe('find');
  });
  it('ignores plain keys and other modifier combinations', () => {
    expect(matchShortcut(key('n'))).toBeNull();
    expect(matchShortcut(key('f', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(matchShortcut(key('n', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(matchShortcut(key('b', { ctrlKey: true }))).toBeNull();
  });
});
