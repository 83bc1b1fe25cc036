/**
 * Web mode's access token arrives in the address web mode prints (…/#token=SECRET). It is
 * taken out of the address at once, with history.replaceState, so it is in neither the
 * address bar nor the history (nor a screenshot, a shared screen or a copied link), and
 * kept in sessionStorage: per tab and per origin, so a reload or a reconnect of this tab
 * finds it, and nothing else does. DOM-free: the page's location, history and storage are
 * passed in.
 */

export const TOKEN_STORAGE_KEY = 'ruang:token';

export interface AddressEnv {
  location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  history: Pick<History, 'replaceState' | 'state'>;
  /** null when the page may not use sessionStorage: the token then lives as long as the page. */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export interface TokenKeeper {
  /** Takes a token out of the current address, if it holds one; true when it did. */
  capture(): boolean;
  /** The token this tab holds, or null. */
  current(): string | null;
  /** Called with each token captured after start (e.g. a new address pasted into the tab). */
  onCaptured(listener: (token: string) => void): () => void;
}

/**
 * Splits a location hash into the token and everything else. The hash is `&`-separated
 * parts; the token is the part `token=…`, anywhere. Other parts (a route such as
 * `#/story/ID`) are kept as they were, in their order.
 */
export function splitHash(hash: string): { token: string | null; found: boolean; rest: string } {
  const parts = hash.replace(/^#/, '').split('&');
  let token: string | null = null;
  let found = false;
  const kept: string[] = [];
  for (const part of parts) {
    if (part.startsWith('token=')) {
      found = true;
      token ??= decodeToken(part.slice('token='.length));
    } else if (part !== '') kept.push(part);
  }
  return { token, found, rest: kept.length > 0 ? `#${kept.join('&')}` : '' };
}

function decodeToken(raw: string): string | null {
  try {
    const token = decodeURIComponent(raw);
    return token === '' ? null : token;
  } catch {
    return null;
  }
}

export function createTokenKeeper(env: AddressEnv): TokenKeeper {
  let inPage: string | null = null;
  const listeners = new Set<(token: string) => void>();

  const stored = (): string | null => {
    try {
      return env.storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
    } catch {
      return null;
    }
  };

  return {
    capture() {
      const { token, found, rest } = splitHash(env.location.hash);
      if (!found) return false;
      try {
        env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}${rest}`);
      } catch {
        // A sandboxed or file:// page may refuse; the token still works, it just stays visible.
      }
      if (!token) return false;
      inPage = token;
      try {
        env.storage?.setItem(TOKEN_STORAGE_KEY, token);
      } catch {
        // Storage full or refused: this page keeps it in memory (a reload needs the address again).
      }
      for (const l of listeners) l(token);
      return true;
    },
    // What this page captured last wins over storage, in case storing it failed.
    current: () => inPage ?? stored(),
    onCaptured(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
