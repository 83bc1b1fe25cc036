// Holds the shell against Electron's security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security), in plain Node: the modules
// under test import electron only as types.
import { EventEmitter } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../shared/web/contentSecurityPolicy';
import { hardenSession, hardenWebContents } from './guards';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  decideWindowOpen,
  isAllowedNavigation,
  isBlockedRequest,
  isSafeExternalUrl,
  secureWebPreferences,
  withSecurityHeaders,
} from './security';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Source without comments, so prose about an API does not count as a call. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(directives.has(name), `directive ${name} appears once`).toBe(false);
    directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

describe('window options (checklist 2–4, 6, 12)', () => {
  const prefs = secureWebPreferences('/app/dist/electron/preload.cjs');

  it('isolates the context, sandboxes the renderer and gives it no Node', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses insecure content, webviews and experimental features', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('uses the bundled CommonJS preload and cannot be loosened afterwards', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
    expect(Object.isFrozen(prefs)).toBe(true);
  });
});

describe('Content-Security-Policy (checklist 7)', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it("is the renderer's one policy from shared/web, naming no socket (the page uses a MessagePort)", () => {
    expect(CONTENT_SECURITY_POLICY).toBe(contentSecurityPolicy());
  });

  it("defaults to 'self' and loads scripts only from the app: no inline script, no eval", () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    const scriptSrc = csp.get('script-src');
    expect(scriptSrc).toEqual(["'self'"]);
    for (const source of scriptSrc ?? []) {
      expect(source).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|unsafe-hashes|\*|http|data:|blob:/);
    }
  });

  it('allows no plugins, no base rewriting, no framing, no network beyond the app', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    for (const [name, sources] of csp) {
      for (const source of sources) expect(source, `${name} ${source}`).not.toMatch(/^(\*|https?:|wss?:|'unsafe-eval')/);
    }
  });

  it('is attached to every app:// response and replaces any policy already there', () => {
    const headers = withSecurityHeaders(`${APP_ENTRY_URL}`, { 'content-security-policy': ["script-src *"] });
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers).not.toHaveProperty('content-security-policy');
    expect(headers['X-Content-Type-Options']).toEqual(['nosniff']);
  });
});

describe('no remote content (checklist 1, 13, 14)', () => {
  it('loads the renderer from the app:// protocol, not http(s) or file', () => {
    expect(new URL(APP_ENTRY_URL).protocol).toBe('app:');
  });

  it('refuses every navigation that leaves app://ruang', () => {
    expect(isAllowedNavigation('app://ruang/index.html#/story/1')).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:3000/', 'file:///etc/passwd', 'app://evil/index.html', 'javascript:alert(1)', 'data:text/html,hi', 'not a url']) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });

  it('cancels requests to the network and the file system', () => {
    for (const url of ['https://example.com/a.js', 'http://localhost/', 'ws://127.0.0.1:1/', 'file:///etc/passwd']) {
      expect(isBlockedRequest(url), url).toBe(true);
    }
    for (const url of ['app://ruang/assets/index.js', 'data:image/png;base64,AA==', 'blob:app://ruang/1234']) {
      expect(isBlockedRequest(url), url).toBe(false);
    }
  });

  it('opens only plain http(s) links externally (checklist 15)', () => {
    expect(isSafeExternalUrl('https://koran-jakarta.com/berita')).toBe(true);
    expect(isSafeExternalUrl('http://example.com/')).toBe(true);
    for (const url of ['file:///C:/Windows/system32/calc.exe', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'https://user:pw@example.com/', 'app://ruang/', 'mailto:a@b.c', '']) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it('denies every new window, sending safe links to the system browser instead', () => {
    const openExternal = vi.fn();
    expect(decideWindowOpen({ url: 'https://example.com/' }, openExternal)).toEqual({ action: 'deny' });
    expect(decideWindowOpen({ url: 'file:///etc/passwd' }, openExternal)).toEqual({ action: 'deny' });
    expect(decideWindowOpen({ url: 'app://ruang/index.html' }, openExternal)).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.com/']]);
  });
});

describe('navigation and new-window guards on a WebContents (checklist 13, 14)', () => {
  function fakeContents() {
    const emitter = new EventEmitter();
    let windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
    const contents = {
      on: (event: string, listener: (...args: unknown[]) => void) => {
        emitter.on(event, listener);
        return contents;
      },
      setWindowOpenHandler: (handler: (details: { url: string }) => unknown) => {
        windowOpenHandler = handler;
      },
    };
    const navigate = (event: string, url: string) => {
      const e = { url, preventDefault: vi.fn() };
      emitter.emit(event, e);
      return e.preventDefault.mock.calls.length > 0;
    };
    return { contents, navigate, openWindow: (url: string) => windowOpenHandler?.({ url }) };
  }

  it('prevents navigations and redirects away from the app and refuses webviews', () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    hardenWebContents(fake.contents as never, openExternal);
    expect(fake.navigate('will-navigate', 'https://example.com/')).toBe(true);
    expect(fake.navigate('will-frame-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fake.navigate('will-redirect', 'http://127.0.0.1/')).toBe(true);
    expect(fake.navigate('will-navigate', 'app://ruang/index.html')).toBe(false);
    expect(fake.navigate('will-attach-webview', 'app://ruang/index.html')).toBe(true);
    expect(fake.openWindow('https://example.com/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.com/');
  });
});

describe('session set-up: permissions denied by default (checklist 5), CSP header, request filter', () => {
  type Handler = (...args: never[]) => unknown;
  function fakeSession() {
    const handlers: Record<string, Handler> = {};
    const session = {
      setPermissionRequestHandler: (h: Handler) => void (handlers.request = h),
      setPermissionCheckHandler: (h: Handler) => void (handlers.check = h),
      webRequest: {
        onBeforeRequest: (h: Handler) => void (handlers.beforeRequest = h),
        onHeadersReceived: (h: Handler) => void (handlers.headersReceived = h),
      },
    };
    hardenSession(session as never);
    return handlers as Record<string, (...args: unknown[]) => unknown>;
  }

  it('answers every permission request and check with no', () => {
    const handlers = fakeSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown']) {
      const callback = vi.fn();
      handlers.request?.({}, permission, callback, {});
      expect(callback, permission).toHaveBeenCalledWith(false);
      expect(handlers.check?.(null, permission, 'app://ruang', {}), permission).toBe(false);
    }
  });

  it('adds the CSP to app:// responses and cancels remote requests', () => {
    const handlers = fakeSession();
    const headersCallback = vi.fn();
    handlers.headersReceived?.({ url: APP_ENTRY_URL, responseHeaders: {} }, headersCallback);
    expect(headersCallback.mock.calls[0]?.[0].responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    const requestCallback = vi.fn();
    handlers.beforeRequest?.({ url: 'https://cdn.example.com/x.js' }, requestCallback);
    handlers.beforeRequest?.({ url: 'app://ruang/assets/x.js' }, requestCallback);
    expect(requestCallback.mock.calls).toEqual([[{ cancel: true }], [{ cancel: false }]]);
  });
});

describe('main.ts wires these decisions', () => {
  const mainSource = stripComments(readFileSync(path.join(here, 'main.ts'), 'utf8'));
  const allMainSources = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => stripComments(readFileSync(path.join(here, f), 'utf8')))
    .join('\n');

  it('creates the window with the checked preferences and loads only app://', () => {
    expect(mainSource).toMatch(/webPreferences:\s*\{\s*\.\.\.secureWebPreferences\(/);
    expect(mainSource).toMatch(/loadURL\(APP_ENTRY_URL\)/);
    expect(mainSource).not.toMatch(/loadFile\(|loadURL\(\s*['"`]/);
    expect(allMainSources).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/);
  });

  it('hardens every WebContents and the session, and locks to a single instance', () => {
    expect(mainSource).toMatch(/'web-contents-created'[\s\S]{0,120}hardenWebContents\(/);
    expect(mainSource).toMatch(/hardenSession\(session\.defaultSession\)/);
    expect(mainSource).toMatch(/requestSingleInstanceLock\(\)/);
    expect(mainSource).toMatch(/app\.enableSandbox\(\)/);
    expect(mainSource).toMatch(/registerSchemesAsPrivileged\(\[APP_SCHEME_PRIVILEGES\]\)/);
    expect(mainSource).toMatch(/protocol\.handle\(APP_SCHEME,/);
    const guards = readFileSync(path.join(here, 'guards.ts'), 'utf8');
    expect(guards).toMatch(/setWindowOpenHandler\(/);
    expect(guards).toMatch(/'will-navigate'/);
  });

  it('listens on one IPC channel only, through the port broker', () => {
    expect(allMainSources.match(/ipcMain\.(on|handle|once)\(/g)).toHaveLength(1);
    expect(mainSource).toMatch(/ipcMain\.on\(\s*REQUEST_PORT_CHANNEL,\s*createPortBroker\(/);
  });
});

describe('Electron fuses in electron-builder.yml (checklist: "Check which fuses you can change")', () => {
  // js-yaml is the parser electron-builder itself reads this file with (app-builder-lib
  // depends on it), so it is there whenever packaging is possible.
  const require = createRequire(import.meta.url);
  const { load } = require('js-yaml') as { load(text: string): unknown };
  const root = path.resolve(here, '../..');
  const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  const fuses = config.electronFuses as Record<string, unknown> | undefined;

  it('turns off running as Node, NODE_OPTIONS and the inspector; loads only a verified app.asar', () => {
    expect(fuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names only fuses electron-builder knows (a misspelt one would be ignored, not refused, by the fuse flipper)', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as {
      definitions: Record<string, { properties?: Record<string, unknown> }>;
    };
    const known = Object.keys(schema.definitions.FuseOptionsV1?.properties ?? {});
    expect(known).toContain('runAsNode');
    for (const name of Object.keys(fuses ?? {})) expect(known, name).toContain(name);
  });

  it('packages into an asar whose integrity electron-builder embeds, so the asar fuses can hold', () => {
    expect(config.asar).toBe(true);
    expect(config.disableAsarIntegrity).not.toBe(true);
  });

  it('relies on nothing a fuse turns off: core is a utilityProcess, not a Node child', () => {
    const mainSources = readdirSync(here)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => stripComments(readFileSync(path.join(here, f), 'utf8')))
      .join('\n');
    expect(mainSources).toMatch(/utilityProcess\.fork\(/);
    expect(mainSources).not.toMatch(/ELECTRON_RUN_AS_NODE|NODE_OPTIONS|--inspect|child_process|process\.execPath|file:\/\//);
  });
});
