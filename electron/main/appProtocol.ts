// The app:// protocol: serves the built renderer (dist/renderer) and nothing else. Pure
// Node (fs + the global Response), so it is tested without Electron; main.ts only hands
// it to protocol.handle.
import type { CustomScheme } from 'electron';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { contentTypeFor } from '../../shared/web/contentTypes';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security';

/**
 * Registered before 'ready'. standard: real origin and relative URLs like https; secure:
 * counts as a secure context; supportFetchAPI: the renderer may fetch its own assets.
 * No bypassCSP, no corsEnabled (nothing else may read from it), no service workers.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

export type AppPathResolution = { ok: true; filePath: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Maps an app:// URL to a file under rootDir. Refuses other hosts, encoded separators or
 * NUL bytes, and anything that would resolve outside rootDir (path traversal).
 */
export function resolveAppPath(rootDir: string, requestUrl: string): AppPathResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { ok: false, status: 400 };
  const root = path.resolve(rootDir);
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const filePath = path.resolve(root, relative);
  if (filePath !== root && !filePath.startsWith(root + path.sep)) return { ok: false, status: 403 };
  return { ok: true, filePath };
}

/** protocol.handle handler body: the file with its content type and the CSP, or an error status. */
export async function serveAppRequest(rootDir: string, request: Pick<Request, 'url' | 'method'>): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse(405);
  const resolved = resolveAppPath(rootDir, request.url);
  if (!resolved.ok) return errorResponse(resolved.status);
  try {
    const info = await stat(resolved.filePath);
    if (!info.isFile()) return errorResponse(404);
    const body = request.method === 'HEAD' ? null : await readFile(resolved.filePath);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': contentTypeFor(resolved.filePath),
        // Also set here: webRequest.onHeadersReceived adds it too, but a header on the
        // response itself does not depend on webRequest seeing custom-protocol responses.
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  } catch {
    return errorResponse(404);
  }
}

function errorResponse(status: number): Response {
  return new Response(null, { status, headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });
}
