// Composition root of the Electron main process. It only wires modules together: the
// security decisions live in security.ts/guards.ts, the renderer is served by
// appProtocol.ts, core is kept alive by coreSupervisor.ts and reached through
// portBroker.ts. No business logic here: that is core's job (electron/core, its own process).
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import path from 'node:path';
import { APP_SCHEME_PRIVILEGES, serveAppRequest } from './appProtocol';
import { CoreSupervisor, DEFAULT_RESTART_POLICY } from './coreSupervisor';
import { hardenSession, hardenWebContents } from './guards';
import { buildMenuTemplate, menuLanguageFor, shortcutInputEvents, type RendererShortcut } from './menu';
import { createPortBroker, REQUEST_PORT_CHANNEL } from './portBroker';
import { PRODUCT_NAME, profileOverride, userDataDir } from './profile';
import { createQuitSequence } from './quitSequence';
import { requestRendererFlush } from './rendererFlush';
import { createSecretBroker } from './secretBroker';
import { APP_ENTRY_URL, APP_SCHEME, secureWebPreferences } from './security';

// Bundled to dist/electron/main.cjs: dist/ holds electron/, core/ and renderer/ side by side.
const distDir = path.resolve(__dirname, '..');
const preloadPath = path.join(__dirname, 'preload.cjs');
const rendererDir = path.join(distDir, 'renderer');
const coreEntry = path.join(distDir, 'core', 'utility.js');

function main(): void {
  // Before anything reads userData (the single-instance lock lives there too, so a test
  // profile never collides with the user's running app).
  app.setPath('userData', userDataDir(profileOverride(process.argv, process.env, process.cwd()), app.getPath('appData')));

  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let mainWindow: BrowserWindow | null = null;

  // Core seals its session token with the OS keychain through main (it cannot reach safeStorage).
  const secretBroker = createSecretBroker(safeStorage);
  const supervisor = new CoreSupervisor(
    () => {
      const child = utilityProcess.fork(coreEntry, ['--profile', app.getPath('userData')], {
        serviceName: 'Ruang Redaksi Core',
        stdio: 'inherit',
      });
      child.on('message', (message: unknown) => secretBroker(message, (result) => child.postMessage(result)));
      return child;
    },
    DEFAULT_RESTART_POLICY,
    {
      // The renderer notices its port closing and asks for a new one by itself.
      onRestart: (code, count) => console.warn(`core exited with code ${code}; restarted (${count} recent restarts)`),
      onGiveUp: (code) =>
        dialog.showErrorBox(
          'Ruang Redaksi',
          `Layanan data lokal berhenti berulang kali (kode ${code}). Tulisan yang sudah tersimpan aman; mulai ulang aplikasi.\n\n` +
            `The local data service stopped repeatedly (code ${code}). Saved work is safe; restart the app.`,
        ),
    },
  );

  // Quit (and closing the window): the page flushes its unsent edits into core first,
  // within a deadline, then core stops (flushing SQLite), then the app quits.
  const quitSequence = createQuitSequence({
    flushRenderer: (timeoutMs) =>
      requestRendererFlush(
        { contents: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null), ipc: ipcMain },
        timeoutMs,
      ),
    stopCore: () => supervisor.stop(),
    quit: () => app.quit(),
    log: (message) => console.warn(message),
  });

  const focusMainWindow = () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };

  const sendShortcut = (shortcut: RendererShortcut) => {
    const contents = mainWindow?.webContents;
    if (!contents) return;
    contents.focus();
    for (const input of shortcutInputEvents(shortcut, process.platform)) contents.sendInputEvent(input);
  };

  const createWindow = () => {
    const window = new BrowserWindow({
      width: 1280,
      height: 860,
      minWidth: 880,
      minHeight: 560,
      show: false,
      title: PRODUCT_NAME,
      backgroundColor: '#ffffff',
      // A copy: Electron may annotate the options object it is given.
      webPreferences: { ...secureWebPreferences(preloadPath) },
    });
    window.once('ready-to-show', () => window.show());
    window.on('close', (event) => quitSequence.onWindowClose(event, window));
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    mainWindow = window;
    window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
      // Only a broken build gets here (dist/renderer missing): say so instead of a blank window.
      dialog.showErrorBox(PRODUCT_NAME, `Cannot load the app (${String(error)}). Run \`npm run build\`.`);
    });
  };

  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, (url) => void shell.openExternal(url));
  });

  ipcMain.on(
    REQUEST_PORT_CHANNEL,
    createPortBroker({
      windowContents: () => mainWindow?.webContents ?? null,
      connectCore: (port) => supervisor.connect(port),
      createChannel: () => new MessageChannelMain(),
      onRefused: (reason) => console.warn(`core port refused: ${reason}`),
    }),
  );

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
    app.setAboutPanelOptions({ applicationName: PRODUCT_NAME, applicationVersion: app.getVersion() });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          platform: process.platform,
          isPackaged: app.isPackaged,
          appName: PRODUCT_NAME,
          language: menuLanguageFor(app.getPreferredSystemLanguages()),
          sendShortcut,
        }),
      ),
    );
    supervisor.start();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => quitSequence.onBeforeQuit(event));
}

main();
