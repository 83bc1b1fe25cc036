// Wires the decisions of security.ts into a session and into every WebContents. Takes the
// Electron objects as parameters (types only) so the wiring itself is tested in plain Node.
import type { Session, WebContents } from 'electron';
import {
  decideWindowOpen,
  denyPermissionCheck,
  denyPermissionRequest,
  isAllowedNavigation,
  isBlockedRequest,
  withSecurityHeaders,
} from './security';

type NavigationGuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Applied to every WebContents the app creates (app 'web-contents-created'): no navigation
 * away from app://, no new windows, no <webview>.
 */
export function hardenWebContents(contents: NavigationGuardedContents, openExternal: (url: string) => void): void {
  const refuseUnlessAllowed = (event: { preventDefault(): void; url: string }) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => refuseUnlessAllowed(event));
  contents.on('will-frame-navigate', (event) => refuseUnlessAllowed(event));
  contents.on('will-redirect', (event) => refuseUnlessAllowed(event));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => decideWindowOpen(details, openExternal));
}

type HardenableSession = {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived' | 'onBeforeRequest'>;
};

/** Session set-up: deny permissions, refuse requests leaving the app, add the CSP header. */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: isBlockedRequest(details.url) });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.url, details.responseHeaders) });
  });
}
