import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, startTestApp, tableCounts, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';
import { DEFAULT_BODY_LIMIT } from '../app';

const validUser = { username: 'penulis9', displayName: 'Dewi Anggraini', role: 'penulis', password: 'rahasia-panjang' };

describe.each(ENGINES)('request validation on %s: bad input is a clear 4xx and writes nothing', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  }, 120_000);
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.resetToDemo();
    app = await startTestApp(t.db);
    admin = await app.login('admin');
  }, 60_000);

  /** Sends a request that must be refused with `status`/`code`, and checks no table changed. */
  async function expectRefused(status: number, code: string, send: () => ReturnType<TestApp['request']>, message?: RegExp) {
    const before = await tableCounts(t.db);
    const res = await send();
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json() as { error: { code: string; message: string } };
    expect({ status: res.statusCode, code: body.error.code }).toEqual({ status, code });
    expect(body.error.message.length).toBeGreaterThan(0);
    if (message) expect(body.error.message).toMatch(message);
    expect(await tableCounts(t.db)).toEqual(before);
  }

  it('malformed JSON, an empty JSON body and prototype-poisoning JSON → 400 invalid_json', async () => {
    await expectRefused(400, 'invalid_json', () => app.request('POST', '/admin/users', { token: admin, rawBody: '{"username": "penulis9",' }));
    await expectRefused(400, 'invalid_json', () => app.request('POST', '/admin/users', { token: admin, rawBody: '' }));
    await expectRefused(400, 'invalid_json', () =>
      app.request('POST', '/admin/users', { token: admin, rawBody: JSON.stringify(validUser).replace('{', '{"__proto__":{"role":"admin"},') }),
    );
  });

  it('an extra property is rejected (not silently dropped), naming the property', async () => {
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/users', { token: admin, body: { ...validUser, isAdmin: true } }), /isAdmin/);
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/auth/login', { body: { username: 'admin', password: 'redaksi123', remember: true } }), /remember/);
  });

  it('wrong types, unknown enum values, missing fields and bad formats → 400 naming the field', async () => {
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/users', { token: admin, body: { ...validUser, role: 'editor' } }), /body\.role/);
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/users', { token: admin, body: { ...validUser, username: 42 } }), /body\.username/);
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/users', { token: admin, body: { ...validUser, password: 'pendek' } }), /body\.password/);
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/users', { token: admin, body: { ...validUser, username: 'a b' } }), /body\.username/);
    const { password: _omitted, ...withoutPassword } = validUser;
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/users', { token: admin, body: withoutPassword }), /body\.password/);
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/users', { token: admin, body: [validUser] }));
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/rubrik', { token: admin, body: { name: 'Ekonomi › Teknologi' } }), /›/);
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/admin/rubrik', { token: admin, body: { name: '   ' } }), /body\.name/);
    await expectRefused(400, 'invalid_request', () => app.request('PATCH', '/admin/rubrik/00000000-0000-4000-8000-000000000000', { token: admin, body: {} }), /nothing to update/);
  });

  it('a body sent to a route that takes none is refused, and the route does not run', async () => {
    await expectRefused(400, 'invalid_request', () => app.request('POST', '/auth/logout', { token: admin, body: { everywhere: true } }));
    expect((await app.request('GET', '/auth/me', { token: admin })).statusCode).toBe(200);
  });

  it('bad query strings and path parameters → 400', async () => {
    await expectRefused(400, 'invalid_request', () => app.request('GET', '/admin/users?includeInactive=maybe', { token: admin }), /querystring\.includeInactive/);
    await expectRefused(400, 'invalid_request', () => app.request('GET', '/directory?since=3', { token: admin }), /since/);
    await expectRefused(400, 'invalid_request', () => app.request('PATCH', '/admin/users/not-a-uuid', { token: admin, body: { displayName: 'X' } }), /params\.id/);
  });

  it('an oversized body → 413 before anything is parsed; login accepts only small bodies', async () => {
    const huge = { ...validUser, displayName: 'x'.repeat(DEFAULT_BODY_LIMIT) };
    await expectRefused(413, 'body_too_large', () => app.request('POST', '/admin/users', { token: admin, body: huge }));
    await expectRefused(413, 'body_too_large', () => app.request('POST', '/auth/login', { body: { username: 'admin', password: 'p'.repeat(5000) } }));
  });

  it('a body that is not JSON → 415; an unknown route → 404 in the same error shape', async () => {
    await expectRefused(415, 'unsupported_media_type', () =>
      app.request('POST', '/admin/users', { token: admin, rawBody: 'username=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    );
    await expectRefused(404, 'not_found', () => app.request('GET', '/admin/nothing-here', { token: admin }));
  });
});
