import { createTokenKeeper } from './addressToken';

/**
 * Side effect on import, on purpose: main.tsx imports this module before anything else,
 * so the token is out of the address before any other module (a hash router, the app
 * store) reads location.hash, and this hashchange listener runs before theirs.
 */

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export const addressToken = createTokenKeeper({ location: window.location, history: window.history, storage: sessionStorageOrNull() });

addressToken.capture();
// A new address pasted into this tab (say after core was started with --new-token)
// changes only the hash: no reload, so take the token here too.
window.addEventListener('hashchange', () => addressToken.capture());
