// The application menu as data (types only), so it is tested in plain Node.
//
// App commands (new story, search) belong to the renderer, which already handles
// Ctrl/Cmd+N and Ctrl/Cmd+F itself. So the menu does not add an IPC channel: its items
// show the shortcut without registering it (registerAccelerator: false, Windows/Linux),
// so the keystroke reaches the page, and a click replays that keystroke into the page
// (webContents.sendInputEvent). One code path, and the preload stays two members wide.
import type { MenuItemConstructorOptions } from 'electron';

export type MenuLanguage = 'id' | 'en';

const LABELS = {
  id: { file: 'Berkas', newStory: 'Naskah Baru', find: 'Cari Naskah', edit: 'Sunting', view: 'Tampilan', window: 'Jendela', help: 'Bantuan' },
  en: { file: 'File', newStory: 'New Story', find: 'Find Story', edit: 'Edit', view: 'View', window: 'Window', help: 'Help' },
} as const satisfies Record<MenuLanguage, Record<string, string>>;

/** A shortcut the renderer owns: the key the page listens for. */
export interface RendererShortcut {
  key: 'N' | 'F';
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Packaged builds have no developer tools entry. */
  isPackaged: boolean;
  appName: string;
  language: MenuLanguage;
  /** Replays the shortcut into the focused page (see the header comment). */
  sendShortcut(shortcut: RendererShortcut): void;
}

/** Picks the menu language from the OS's preferred languages: Indonesian unless English comes first. */
export function menuLanguageFor(preferredLanguages: readonly string[]): MenuLanguage {
  for (const tag of preferredLanguages) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'id' || primary === 'in') return 'id';
    if (primary === 'en') return 'en';
  }
  return 'id';
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const t = LABELS[options.language];
  const rendererItem = (label: string, key: RendererShortcut['key']): MenuItemConstructorOptions => ({
    label,
    accelerator: `CmdOrCtrl+${key}`,
    registerAccelerator: false,
    click: () => options.sendShortcut({ key }),
  });

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: t.file,
    submenu: [
      rendererItem(t.newStory, 'N'),
      rendererItem(t.find, 'F'),
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: t.edit,
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'pasteAndMatchStyle' },
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: t.view,
    submenu: [
      { role: 'reload' },
      ...(options.isPackaged ? [] : [{ role: 'forceReload' } as const, { role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: t.window,
    submenu: isMac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({ label: t.help, role: 'help', submenu: [{ role: 'about' }] });
  return template;
}

/**
 * The input events that replay a renderer shortcut (keyDown then keyUp) with the
 * platform's command modifier.
 */
export function shortcutInputEvents(shortcut: RendererShortcut, platform: NodeJS.Platform) {
  const modifiers: Array<'meta' | 'control'> = [platform === 'darwin' ? 'meta' : 'control'];
  return [
    { type: 'keyDown' as const, keyCode: shortcut.key, modifiers },
    { type: 'keyUp' as const, keyCode: shortcut.key, modifiers },
  ];
}
