/**
 * The one Content-Security-Policy of the renderer, sent by both hosts that serve it: web
 * mode's HTTP server in core and the app:// protocol in Electron's main. They differ in one
 * source only: web mode's page talks to core over a WebSocket on its own 127.0.0.1 port,
 * which `connect-src` must name (a ws: URL does not match 'self' in every browser); in
 * Electron the page talks over a MessagePort and needs no network at all.
 *
 * - scripts only from the app itself: no inline script, no eval (Vite's build emits none);
 * - inline *styles* are allowed because React and Lexical set style attributes (they cannot
 *   run script);
 * - images and fonts from the app or data:/blob: URLs (pasted and generated images);
 * - no plugins, workers, frames, framing, <base> rewriting or form posts: the app uses none.
 */
const DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
});

export interface ContentSecurityPolicyOptions {
  /** Web mode's RPC socket, `ws://127.0.0.1:PORT`. Electron passes none. */
  webSocketOrigin?: string;
}

/** `ws://` or `wss://`, a host and a port, nothing else (no path, no `;` or spaces that would add directives). */
const WEB_SOCKET_ORIGIN = /^wss?:\/\/[A-Za-z0-9.-]+:\d{1,5}$/;

/** The policy as a header value. Throws on a malformed `webSocketOrigin`. */
export function contentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  const { webSocketOrigin } = options;
  if (webSocketOrigin !== undefined && !WEB_SOCKET_ORIGIN.test(webSocketOrigin)) {
    throw new Error(`Not a WebSocket origin for the CSP: ${JSON.stringify(webSocketOrigin)} (expected ws://HOST:PORT)`);
  }
  return Object.entries(DIRECTIVES)
    .map(([directive, sources]) => {
      const all = directive === 'connect-src' && webSocketOrigin ? [...sources, webSocketOrigin] : sources;
      return `${directive} ${all.join(' ')}`;
    })
    .join('; ');
}
