import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './contentSecurityPolicy';

function parse(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    expect(name, 'no empty directive').toBeTruthy();
    expect(directives.has(name!), `directive ${name} appears once`).toBe(false);
    directives.set(name!, sources);
  }
  return directives;
}

describe('contentSecurityPolicy', () => {
  it('allows scripts from the app only, no network beyond it, no workers, frames or plugins', () => {
    const csp = parse(contentSecurityPolicy());
    expect(Object.fromEntries(csp)).toEqual({
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
  });

  it("web mode's socket adds exactly one connect-src source and changes nothing else", () => {
    const plain = parse(contentSecurityPolicy());
    const web = parse(contentSecurityPolicy({ webSocketOrigin: 'ws://127.0.0.1:5173' }));
    expect(web.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:5173']);
    web.delete('connect-src');
    plain.delete('connect-src');
    expect(web).toEqual(plain);
  });

  it('refuses a socket origin that is not ws://HOST:PORT, so nothing can be smuggled into the policy', () => {
    for (const bad of ['', 'http://127.0.0.1:1', 'ws://127.0.0.1', 'ws://127.0.0.1:1/rpc', "ws://127.0.0.1:1; script-src 'unsafe-inline'", 'ws://a b:1', '*']) {
      expect(() => contentSecurityPolicy({ webSocketOrigin: bad }), bad).toThrow(/Not a WebSocket origin/);
    }
  });
});
