import { describe, expect, it } from 'vitest';
import { isCloseStoryKey, isSubmitShortcut, matchShortcut } from './shortcuts';

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

describe('isCloseStoryKey', () => {
  it('is a plain Escape nobody else handled', () => {
    expect(isCloseStoryKey(key('Escape'))).toBe(true);
    expect(isCloseStoryKey({ ...key('Escape'), defaultPrevented: true })).toBe(false);
    expect(isCloseStoryKey({ ...key('Escape'), isComposing: true })).toBe(false);
    expect(isCloseStoryKey(key('Escape', { shiftKey: true }))).toBe(false);
    expect(isCloseStoryKey(key('Enter'))).toBe(false);
  });
});

describe('isSubmitShortcut', () => {
  it('is Ctrl+Enter or Cmd+Enter', () => {
    expect(isSubmitShortcut(key('Enter', { ctrlKey: true }))).toBe(true);
    expect(isSubmitShortcut(key('Enter', { metaKey: true }))).toBe(true);
  });
  it('leaves plain Enter, Shift/Alt combinations and composition alone', () => {
    expect(isSubmitShortcut(key('Enter'))).toBe(false);
    expect(isSubmitShortcut(key('Enter', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isSubmitShortcut(key('Enter', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isSubmitShortcut({ ...key('Enter', { ctrlKey: true }), isComposing: true })).toBe(false);
  });
});
