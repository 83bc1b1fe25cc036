import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_TTL_MS } from '../app';
import { openTestDatabase, startTestApp, tableCounts, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

describe.each(ENGINES)('accounts and sessions on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  }, 120_000);
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.resetToDemo();
    app = await startTestApp(t.db, { loginRateLimit: { max: 5, timeWindowMs: 60_000 }, loginRateLimitPerAddress: { max: 12, timeWindowMs: 60_000 } });
  }, 60_000);

  const errorCode = (res: { json: () => unknown }) => (res.json() as { error: { code: string } }).error.code;

  it('logs a demo user in (username case-insensitive) and answers /auth/me with the same user', async () => {
    const res = await app.request('POST', '/auth/login', { body: { username: 'Penulis1', password: 'redaksi123' } });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { token: string; expiresAt: number; user: { username: string; role: string; displayName: string } };
    expect(body.token).toMatch(/^rr_[A-Za-z0-9_-]{43}$/);
    expect(body.expiresAt).toBe(app.clock.now + DEFAULT_SESSION_TTL_MS);
    expect(body.user).toMatchObject({ username: 'penulis1', role: 'penulis', displayName: 'Agus Prasetyo' });

    const me = await app.request('GET', '/auth/me', { token: body.token });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: body.user, rubrikIds: [], session: { expiresAt: body.expiresAt } });
  });

  it('stores only a hash of the token, never the token itself', async () => {
    const token = await app.login('penulis2');
    const rows = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(token.slice(3));
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a wrong password and an unknown user with the same 401, and creates no session', async () => {
    const before = await tableCounts(t.db);
    const wrong = await app.request('POST', '/auth/login', { body: { username: 'penulis1', password: 'salah123' } });
    const unknown = await app.request('POST', '/auth/login', { body: { username: 'siapa', password: 'redaksi123' } });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
    }
    expect(wrong.json()).toEqual(unknown.json());
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('rate-limits login attempts per username: the 6th in a minute is 429 even with the right password; another user still logs in', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await app.request('POST', '/auth/login', { body: { username: 'penulis3', password: `tebakan${i}xx` } })).statusCode).toBe(401);
    }
    const blocked = await app.request('POST', '/auth/login', { body: { username: 'penulis3', password: 'redaksi123' } });
    expect(blocked.statusCode).toBe(429);
    expect(errorCode(blocked)).toBe('rate_limited');
    expect(blocked.headers['retry-after']).toBeDefined();
    expect((await app.request('POST', '/auth/login', { body: { username: 'penulis1', password: 'redaksi123' } })).statusCode).toBe(201);
  });

  it('rate-limits login attempts per address across usernames: the 13th in a minute is 429, whatever the body', async () => {
    const usernames = ['admin', 'redaktur1', 'redaktur2', 'penulis1', 'penulis2', 'penulis3'];
    const token = await app.login('redaktur1');
    for (let i = 1; i < 12; i++) {
      const res = await app.request('POST', '/auth/login', { body: { username: usernames[i % 6], password: 'salah-sekali' } });
      expect(res.statusCode).toBe(401);
    }
    const before = await tableCounts(t.db);
    for (const body of [{ username: 'penulis1', password: 'redaksi123' }, { username: 'siapa-saja', password: 'x' }, { not: 'valid' }]) {
      const blocked = await app.request('POST', '/auth/login', { body });
      expect([blocked.statusCode, errorCode(blocked)]).toEqual([429, 'rate_limited']);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(await tableCounts(t.db)).toEqual(before);
    // Logged-in work from that address goes on.
    expect((await app.request('GET', '/directory', { token })).statusCode).toBe(200);
  });

  it('answers 401 with a code saying why: no token, unknown token, malformed header', async () => {
    const none = await app.request('GET', '/auth/me');
    expect([none.statusCode, errorCode(none)]).toEqual([401, 'unauthenticated']);
    const unknown = await app.request('GET', '/auth/me', { token: `rr_${'A'.repeat(43)}` });
    expect([unknown.statusCode, errorCode(unknown)]).toEqual([401, 'invalid_token']);
    const garbage = await app.request('GET', '/auth/me', { token: 'not-a-token' });
    expect([garbage.statusCode, errorCode(garbage)]).toEqual([401, 'invalid_token']);
    const basic = await app.request('GET', '/auth/me', { headers: { authorization: 'Basic YWRtaW46cmVkYWtzaTEyMw==' } });
    expect([basic.statusCode, errorCode(basic)]).toEqual([401, 'invalid_token']);
  });

  it('expires a session at its expiry time', async () => {
    const token = await app.login('penulis1');
    app.clock.now += DEFAULT_SESSION_TTL_MS - 1;
    expect((await app.request('GET', '/auth/me', { token })).statusCode).toBe(200);
    app.clock.now += 1;
    const expired = await app.request('GET', '/auth/me', { token });
    expect([expired.statusCode, errorCode(expired)]).toEqual([401, 'session_expired']);
    // Logging in again gives a fresh session.
    expect((await app.request('GET', '/auth/me', { token: await app.login('penulis1') })).statusCode).toBe(200);
  });

  it('logout revokes only that session', async () => {
    const laptop = await app.login('redaktur1');
    const phone = await app.login('redaktur1');
    expect((await app.request('POST', '/auth/logout', { token: laptop })).statusCode).toBe(204);
    const after = await app.request('GET', '/directory', { token: laptop });
    expect([after.statusCode, errorCode(after)]).toEqual([401, 'session_revoked']);
    expect((await app.request('GET', '/directory', { token: phone })).statusCode).toBe(200);
  });

  it('an admin revokes all of a user’s sessions (a lost laptop); other users keep theirs', async () => {
    const admin = await app.login('admin');
    const laptop = await app.login('penulis2');
    const desktop = await app.login('penulis2');
    const other = await app.login('penulis3');
    const [{ id }] = (await t.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'penulis2'")) as [{ id: string }];

    const res = await app.request('POST', `/admin/users/${id}/revoke-sessions`, { token: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: 2 });
    for (const token of [laptop, desktop]) expect(errorCode(await app.request('GET', '/auth/me', { token }))).toBe('session_revoked');
    expect((await app.request('GET', '/auth/me', { token: other })).statusCode).toBe(200);
    // The user can log in again afterwards.
    expect((await app.request('GET', '/auth/me', { token: await app.login('penulis2') })).statusCode).toBe(200);
  });

  it('deactivating a user ends their sessions and refuses their login; a new password ends old sessions', async () => {
    const admin = await app.login('admin');
    const penulis = await app.login('penulis1');
    const [{ id }] = (await t.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'penulis1'")) as [{ id: string }];

    expect((await app.request('PATCH', `/admin/users/${id}`, { token: admin, body: { password: 'kata-sandi-baru' } })).statusCode).toBe(200);
    expect(errorCode(await app.request('GET', '/auth/me', { token: penulis }))).toBe('session_revoked');
    expect((await app.request('POST', '/auth/login', { body: { username: 'penulis1', password: 'redaksi123' } })).statusCode).toBe(401);
    const fresh = await app.login('penulis1', 'kata-sandi-baru');

    expect((await app.request('PATCH', `/admin/users/${id}`, { token: admin, body: { active: false } })).statusCode).toBe(200);
    expect(errorCode(await app.request('GET', '/auth/me', { token: fresh }))).toBe('session_revoked');
    const login = await app.request('POST', '/auth/login', { body: { username: 'penulis1', password: 'kata-sandi-baru' } });
    expect([login.statusCode, errorCode(login)]).toEqual([401, 'invalid_credentials']);
    // The admin's own session is untouched.
    expect((await app.request('GET', '/auth/me', { token: admin })).statusCode).toBe(200);
  });
});
