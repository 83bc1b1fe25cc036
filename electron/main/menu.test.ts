import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, menuLanguageFor, shortcutInputEvents } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

const base = { appName: 'Ruang Redaksi', language: 'en' as const, sendShortcut: () => {} };

describe('application menu', () => {
  it('has the usual edit roles and zoom, and developer tools only when not packaged', () => {
    const dev = flatten(buildMenuTemplate({ ...base, platform: 'linux', isPackaged: false }));
    const roles = dev.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'zoomIn', 'zoomOut', 'resetZoom', 'quit', 'about', 'toggleDevTools']));
    const packaged = flatten(buildMenuTemplate({ ...base, platform: 'linux', isPackaged: true }));
    expect(packaged.map((i) => i.role)).not.toContain('toggleDevTools');
  });

  it('leaves Ctrl/Cmd+N to the page and replays it on click', () => {
    const sendShortcut = vi.fn();
    const items = flatten(buildMenuTemplate({ ...base, platform: 'win32', isPackaged: true, sendShortcut }));
    const newStory = items.find((i) => i.label === 'New Story');
    expect(newStory).toMatchObject({ accelerator: 'CmdOrCtrl+N', registerAccelerator: false });
    (newStory?.click as () => void)();
    expect(sendShortcut).toHaveBeenCalledWith({ key: 'N' });
    expect(shortcutInputEvents({ key: 'N' }, 'darwin')[0]).toEqual({ type: 'keyDown', keyCode: 'N', modifiers: ['meta'] });
    expect(shortcutInputEvents({ key: 'N' }, 'linux')[1]).toEqual({ type: 'keyUp', keyCode: 'N', modifiers: ['control'] });
  });

  it('has the app menu first on macOS, and speaks Indonesian unless English is preferred', () => {
    expect(buildMenuTemplate({ ...base, platform: 'darwin', isPackaged: true })[0]?.label).toBe('Ruang Redaksi');
    expect(menuLanguageFor(['en-US', 'id-ID'])).toBe('en');
    expect(menuLanguageFor(['id-ID'])).toBe('id');
    expect(menuLanguageFor(['fr-FR'])).toBe('id');
    const id = flatten(buildMenuTemplate({ ...base, language: 'id', platform: 'linux', isPackaged: true }));
    expect(id.map((i) => i.label)).toContain('Naskah Baru');
  });
});
