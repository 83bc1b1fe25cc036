import { describe, expect, it } from 'vitest';
import { createTokenKeeper, splitHash, TOKEN_STORAGE_KEY, type AddressEnv } from './addressToken';

/** A page's location, history and sessionStorage, as plain objects (vitest runs in Node). */
function page(href: string, options: { storage?: 'ok' | 'refuses' | 'none' } = {}) {
  let url = new URL(href);
  const entries = [url.href];
  const location = {
    get pathname() {
      return url.pathname;
    },
    get search() {
      return url.search;
    },
    get hash() {
      return url.hash;
    },
  };
  const history = {
    state: { router: 'state' } as unknown,
    replaceState(state: unknown, _unused: string, next?: string | URL | null) {
      history.state = state;
      url = new URL(String(next), url);
      entries[entries.length - 1] = url.href;
    },
  };
  const items = new Map<string, string>();
  const storage =
    options.storage === 'none'
      ? null
      : {
          getItem: (k: string) => items.get(k) ?? null,
          setItem: (k: string, v: string) => {
            if (options.storage === 'refuses') throw new Error('QuotaExceededError');
            items.set(k, v);
          },
        };
  const env: AddressEnv = { location, history, storage };
  return {
    env,
    items,
    entries,
    href: () => url.href,
    /** What pasting an address into the tab does to the hash (no reload). */
    setHash: (hash: string) => {
      url = new URL(hash, url);
      entries.push(url.href);
    },
  };
}

describe('web mode token in the address', () => {
  it('is taken out of the address bar and the history entry, and kept for this tab', () => {
    const p = page('http://127.0.0.1:24680/#token=abc_DEF-123');
    const keeper = createTokenKeeper(p.env);
    expect(keeper.capture()).toBe(true);
    expect(p.href()).toBe('http://127.0.0.1:24680/');
    expect(p.entries).toEqual(['http://127.0.0.1:24680/']);
    expect(p.env.history.state).toEqual({ router: 'state' });
    expect(p.items.get(TOKEN_STORAGE_KEY)).toBe('abc_DEF-123');
    expect(keeper.current()).toBe('abc_DEF-123');
  });

  it('leaves every other part of the address as it was (query, a hash route)', () => {
    for (const [from, to] of [
      ['http://h/?story=1#token=t', 'http://h/?story=1'],
      ['http://h/#/story/42&token=t', 'http://h/#/story/42'],
      ['http://h/#token=t&/story/42', 'http://h/#/story/42'],
      ['http://h/#/search/a&b&token=t&x=1', 'http://h/#/search/a&b&x=1'],
    ] as const) {
      const p = page(from);
      const keeper = createTokenKeeper(p.env);
      expect(keeper.capture(), from).toBe(true);
      expect(p.href(), from).toBe(to);
      expect(keeper.current(), from).toBe('t');
    }
  });

  it('does nothing to an address without a token; a reload finds the kept one', () => {
    const first = page('http://h/#token=kept');
    createTokenKeeper(first.env).capture();
    // The same tab after a reload: same sessionStorage, bare address, maybe a route.
    const reloaded = page('http://h/#/story/9');
    for (const [k, v] of first.items) reloaded.items.set(k, v);
    const keeper = createTokenKeeper(reloaded.env);
    expect(keeper.capture()).toBe(false);
    expect(reloaded.href()).toBe('http://h/#/story/9');
    expect(keeper.current()).toBe('kept');
  });

  it('has no token to give when neither the address nor the tab holds one', () => {
    const p = page('http://h/');
    const keeper = createTokenKeeper(p.env);
    expect(keeper.capture()).toBe(false);
    expect(keeper.current()).toBeNull();
    // An empty token is stripped, never used.
    const empty = page('http://h/#token=');
    const k2 = createTokenKeeper(empty.env);
    expect(k2.capture()).toBe(false);
    expect(empty.href()).toBe('http://h/');
    expect(k2.current()).toBeNull();
  });

  it('takes a token pasted into the tab later, and says so', () => {
    const p = page('http://h/#token=old');
    const keeper = createTokenKeeper(p.env);
    keeper.capture();
    const seen: string[] = [];
    keeper.onCaptured((t) => seen.push(t));
    p.setHash('#/story/1&token=new%2Done');
    expect(keeper.capture()).toBe(true);
    expect(seen).toEqual(['new-one']);
    expect(keeper.current()).toBe('new-one');
    expect(p.href()).toBe('http://h/#/story/1');
    expect(p.entries.some((e) => e.includes('token'))).toBe(false);
  });

  it('keeps the token for this page when sessionStorage refuses it or is missing', () => {
    for (const storage of ['refuses', 'none'] as const) {
      const p = page('http://h/#token=mem', { storage });
      const keeper = createTokenKeeper(p.env);
      expect(keeper.capture()).toBe(true);
      expect(p.href()).toBe('http://h/');
      expect(keeper.current()).toBe('mem');
    }
  });

  it('splits hashes', () => {
    expect(splitHash('')).toEqual({ token: null, found: false, rest: '' });
    expect(splitHash('#/a')).toEqual({ token: null, found: false, rest: '#/a' });
    expect(splitHash('#token=%E0%A4%A')).toEqual({ token: null, found: true, rest: '' }); // malformed escape
    expect(splitHash('#notatoken=x&token=y')).toEqual({ token: 'y', found: true, rest: '#notatoken=x' });
  });
});
