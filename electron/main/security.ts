// Every security decision of the shell, as plain data and pure functions. This module
// imports electron only as types, so electron/main/security.test.ts can hold it against
// Electron's security checklist in plain Node (no Electron binary needed).
import type { HandlerDetails, WebPreferences, WindowOpenHandlerResponse } from 'electron';
import { contentSecurityPolicy } from '../../shared/web/contentSecurityPolicy';

/** The renderer is served from this privileged custom scheme, never from http(s) or file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ruang';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Window options for the one BrowserWindow. Frozen so no later code can loosen them.
 * `navigateOnDragDrop: false` keeps a dropped file from replacing the app with file://.
 */
export function secureWebPreferences(preloadPath: string): Readonly<WebPreferences> {
  return Object.freeze({
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  } satisfies WebPreferences);
}

/**
 * The Content-Security-Policy of every app:// response: the renderer's one policy, shared
 * with web mode. The page talks to core over a MessagePort, so it names no socket.
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** True for URLs served by our own protocol handler (app://ruang/...). */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/**
 * will-navigate / will-redirect: the app is a single page and never leaves its origin.
 * (Hash changes are in-page and do not reach this guard; reload does not either.)
 */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Links the user may open in the system browser: plain http(s) with a host and no
 * embedded credentials. Everything else (file:, javascript:, smb:, custom handlers that
 * launch programs) is refused, because shell.openExternal hands the URL to the OS.
 */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return false;
  return true;
}

/**
 * window.open / target=_blank: never a new Electron window. A safe http(s) link goes to
 * the system browser instead.
 */
export function decideWindowOpen(
  details: Pick<HandlerDetails, 'url'>,
  openExternal: (url: string) => void,
): WindowOpenHandlerResponse {
  if (isSafeExternalUrl(details.url)) openExternal(details.url);
  return { action: 'deny' };
}

/**
 * Requests the page makes outside the app (http, ws, file, ...). The CSP already refuses
 * them; this second guard works even for requests the CSP does not cover.
 */
export function isBlockedRequest(url: string): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return true;
  return ['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:'].includes(parsed.protocol);
}

/** Adds the CSP (and nosniff) to headers of app:// responses; other responses pass unchanged. */
export function withSecurityHeaders(
  url: string,
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const result: Record<string, string[]> = { ...(headers ?? {}) };
  if (!isAppUrl(url)) return result;
  for (const name of Object.keys(result)) {
    if (name.toLowerCase() === 'content-security-policy') delete result[name];
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  result['X-Content-Type-Options'] = ['nosniff'];
  return result;
}

/**
 * Permissions (camera, microphone, notifications, geolocation, clipboard-read, ...): the
 * app needs none, so every request and every check is refused. To grant one later, add a
 * named exception here with an origin check and a test.
 */
export function denyPermissionRequest(
  _webContents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

export function denyPermissionCheck(): boolean {
  return false;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
