import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdminUser, DirectoryResponse, DirectoryRubrik } from '../../shared/server-api/schemas';
import { openTestDatabase, startTestApp, tableCounts, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** Every admin route with a body it would accept, so only the caller's role decides. */
const ADMIN_ROUTES: [string, string, unknown?][] = [
  ['GET', '/admin/users'],
  ['POST', '/admin/users', { username: 'baru', displayName: 'Orang Baru', role: 'penulis', password: 'rahasia-panjang' }],
  ['PATCH', `/admin/users/${SOME_ID}`, { displayName: 'Nama Lain' }],
  ['PUT', `/admin/users/${SOME_ID}/rubrik`, { rubrikIds: [] }],
  ['POST', `/admin/users/${SOME_ID}/revoke-sessions`],
  ['POST', '/admin/rubrik', { name: 'Teknologi' }],
  ['PATCH', `/admin/rubrik/${SOME_ID}`, { name: 'Teknologi' }],
  ['DELETE', `/admin/rubrik/${SOME_ID}`],
];

describe.each(ENGINES)('admin API and directory on %s', (engine) => {
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

  const errorCode = (res: { json: () => unknown }) => (res.json() as { error: { code: string } }).error.code;
  const directory = async () => (await app.request('GET', '/directory', { token: admin })).json() as DirectoryResponse;
  const rubrikByPath = async (path: string): Promise<DirectoryRubrik> => {
    const found = (await directory()).rubrik.find((r) => r.path === path);
    if (!found) throw new Error(`no rubrik ${path}`);
    return found;
  };
  const userId = async (username: string) => (await directory()).users.find((u) => u.username === username)!.id;

  it('refuses every admin route to penulis and redaktur (403) and to anonymous callers (401), writing nothing', async () => {
    const penulis = await app.login('penulis1');
    const redaktur = await app.login('redaktur1');
    const before = await tableCounts(t.db);
    for (const [method, url, body] of ADMIN_ROUTES) {
      for (const token of [penulis, redaktur]) {
        const res = await app.request(method, url, { token, body });
        expect([method, url, res.statusCode, errorCode(res)]).toEqual([method, url, 403, 'forbidden']);
      }
      const anonymous = await app.request(method, url, { body });
      expect([method, url, anonymous.statusCode, errorCode(anonymous)]).toEqual([method, url, 401, 'unauthenticated']);
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('gives any logged-in user the directory: users with roles and the rubrik tree with full path labels', async () => {
    const penulis = await app.login('penulis3');
    const res = await app.request('GET', '/directory', { token: penulis });
    expect(res.statusCode).toBe(200);
    const dir = res.json() as DirectoryResponse;
    expect(dir.users.map((u) => [u.username, u.role]).sort()).toEqual([
      ['admin', 'admin'],
      ['penulis1', 'penulis'],
      ['penulis2', 'penulis'],
      ['penulis3', 'penulis'],
      ['redaktur1', 'redaktur'],
      ['redaktur2', 'redaktur'],
    ]);
    expect(dir.users.every((u) => !('password_hash' in u) && !('passwordHash' in u))).toBe(true);
    const paths = dir.rubrik.map((r) => r.path);
    expect(paths).toContain('Ekonomi › Industri › Otomotif');
    // Depth-first: a parent comes right before its first child.
    expect(paths.indexOf('Ekonomi › Industri')).toBe(paths.indexOf('Ekonomi › Industri › Otomotif') - 1);
    expect(paths.filter((p) => !p.includes('›'))).toEqual([
      'Nasional', 'Mondial', 'Ekonomi', 'Megapolitan', 'Olahraga', 'Rona', 'Kupas', 'Wisata', 'Perspektif', 'Wawancara', 'Edisi Weekend', 'Foto', 'Video', 'Infografis',
    ]);
    const redaktur2 = dir.users.find((u) => u.username === 'redaktur2')!;
    expect(redaktur2.rubrikIds).toContain((await rubrikByPath('Ekonomi')).id);
  });

  it('creates, updates and deactivates users; a taken username is 409', async () => {
    const created = await app.request('POST', '/admin/users', {
      token: admin,
      body: { username: 'Penulis4', displayName: '  Sri Wahyuni ', role: 'penulis', password: 'rahasia-panjang' },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json() as AdminUser;
    expect(user).toMatchObject({ username: 'penulis4', displayName: 'Sri Wahyuni', role: 'penulis', active: true, rubrikIds: [] });
    expect((await app.request('GET', '/auth/me', { token: await app.login('penulis4', 'rahasia-panjang') })).statusCode).toBe(200);

    const taken = await app.request('POST', '/admin/users', { token: admin, body: { username: 'penulis4', displayName: 'X', role: 'penulis', password: 'rahasia-panjang' } });
    expect([taken.statusCode, errorCode(taken)]).toEqual([409, 'conflict']);

    const promoted = await app.request('PATCH', `/admin/users/${user.id}`, { token: admin, body: { role: 'redaktur', displayName: 'Sri Wahyuni Hartono' } });
    expect(promoted.json()).toMatchObject({ role: 'redaktur', displayName: 'Sri Wahyuni Hartono' });

    const deactivated = await app.request('PATCH', `/admin/users/${user.id}`, { token: admin, body: { active: false } });
    expect(deactivated.json()).toMatchObject({ active: false });
    const listed = (await app.request('GET', '/admin/users?includeInactive=false', { token: admin })).json() as { users: AdminUser[] };
    expect(listed.users.map((u) => u.username)).not.toContain('penulis4');
    // Still in the directory (old bylines resolve), marked inactive.
    expect((await directory()).users.find((u) => u.id === user.id)).toMatchObject({ active: false });

    const missing = await app.request('PATCH', `/admin/users/${SOME_ID}`, { token: admin, body: { displayName: 'Siapa' } });
    expect([missing.statusCode, errorCode(missing)]).toEqual([404, 'not_found']);
  });

  it('never demotes or deactivates the last active admin', async () => {
    const adminId = await userId('admin');
    for (const body of [{ role: 'redaktur' }, { active: false }]) {
      const res = await app.request('PATCH', `/admin/users/${adminId}`, { token: admin, body });
      expect([res.statusCode, errorCode(res)]).toEqual([409, 'conflict']);
    }
    await app.request('PATCH', `/admin/users/${await userId('redaktur1')}`, { token: admin, body: { role: 'admin' } });
    expect((await app.request('PATCH', `/admin/users/${adminId}`, { token: admin, body: { role: 'redaktur' } })).statusCode).toBe(200);
  });

  it('assigns rubrik to a redaktur, refuses a penulis or an unknown rubrik, and clears them when the role becomes penulis', async () => {
    const redaktur = await userId('redaktur1');
    const wisata = await rubrikByPath('Wisata');
    const otomotif = await rubrikByPath('Ekonomi › Industri › Otomotif');
    const res = await app.request('PUT', `/admin/users/${redaktur}/rubrik`, { token: admin, body: { rubrikIds: [wisata.id, otomotif.id, wisata.id] } });
    expect(res.statusCode).toBe(200);
    expect((res.json() as AdminUser).rubrikIds.sort()).toEqual([wisata.id, otomotif.id].sort());
    const me = (await app.request('GET', '/auth/me', { token: await app.login('redaktur1') })).json() as { rubrikIds: string[] };
    expect(me.rubrikIds.sort()).toEqual([wisata.id, otomotif.id].sort());

    const penulis = await userId('penulis1');
    expect(errorCode(await app.request('PUT', `/admin/users/${penulis}/rubrik`, { token: admin, body: { rubrikIds: [wisata.id] } }))).toBe('conflict');
    const before = await tableCounts(t.db);
    expect((await app.request('PUT', `/admin/users/${redaktur}/rubrik`, { token: admin, body: { rubrikIds: [SOME_ID] } })).statusCode).toBe(404);
    expect(await tableCounts(t.db)).toEqual(before);

    await app.request('PATCH', `/admin/users/${redaktur}`, { token: admin, body: { role: 'penulis' } });
    expect((await directory()).users.find((u) => u.id === redaktur)!.rubrikIds).toEqual([]);
  });

  it('creates, renames and moves rubrik (path labels follow), refuses cycles and duplicate sibling names', async () => {
    const ekonomi = await rubrikByPath('Ekonomi');
    const created = await app.request('POST', '/admin/rubrik', { token: admin, body: { name: 'Teknologi', parentId: ekonomi.id } });
    expect(created.statusCode).toBe(201);
    const teknologi = created.json() as DirectoryRubrik;
    expect(teknologi).toMatchObject({ path: 'Ekonomi › Teknologi', parentId: ekonomi.id });

    const duplicate = await app.request('POST', '/admin/rubrik', { token: admin, body: { name: 'teknologi', parentId: ekonomi.id } });
    expect([duplicate.statusCode, errorCode(duplicate)]).toEqual([409, 'conflict']);
    // The same name under another parent is fine.
    expect((await app.request('POST', '/admin/rubrik', { token: admin, body: { name: 'Teknologi' } })).statusCode).toBe(201);

    const industri = await rubrikByPath('Ekonomi › Industri');
    const renamed = await app.request('PATCH', `/admin/rubrik/${industri.id}`, { token: admin, body: { name: 'Industri dan Perdagangan' } });
    expect(renamed.json()).toMatchObject({ path: 'Ekonomi › Industri dan Perdagangan' });
    expect((await directory()).rubrik.map((r) => r.path)).toContain('Ekonomi › Industri dan Perdagangan › Otomotif');

    const moved = await app.request('PATCH', `/admin/rubrik/${industri.id}`, { token: admin, body: { parentId: null } });
    expect(moved.json()).toMatchObject({ path: 'Industri dan Perdagangan', parentId: null });
    expect((await directory()).rubrik.map((r) => r.path)).toContain('Industri dan Perdagangan › Otomotif');

    const otomotif = await rubrikByPath('Industri dan Perdagangan › Otomotif');
    const before = await tableCounts(t.db);
    for (const parentId of [industri.id, otomotif.id]) {
      const cycle = await app.request('PATCH', `/admin/rubrik/${industri.id}`, { token: admin, body: { parentId } });
      expect([cycle.statusCode, errorCode(cycle)]).toEqual([409, 'conflict']);
    }
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await rubrikByPath('Industri dan Perdagangan')).parentId).toBeNull();
  });

  it('deletes only an empty rubrik; its redaktur assignments go with it', async () => {
    const ekonomi = await rubrikByPath('Ekonomi');
    const notEmpty = await app.request('DELETE', `/admin/rubrik/${ekonomi.id}`, { token: admin });
    expect([notEmpty.statusCode, errorCode(notEmpty)]).toEqual([409, 'conflict']);

    const kupas = await rubrikByPath('Kupas');
    expect((await directory()).users.find((u) => u.username === 'redaktur1')!.rubrikIds).toContain(kupas.id);
    expect((await app.request('DELETE', `/admin/rubrik/${kupas.id}`, { token: admin })).statusCode).toBe(204);
    const dir = await directory();
    expect(dir.rubrik.map((r) => r.path)).not.toContain('Kupas');
    expect(dir.users.find((u) => u.username === 'redaktur1')!.rubrikIds).not.toContain(kupas.id);
    expect((await app.request('DELETE', `/admin/rubrik/${kupas.id}`, { token: admin })).statusCode).toBe(404);
  });

  it('bumps the directory version on every change and only then', async () => {
    const v1 = (await directory()).version;
    expect((await directory()).version).toBe(v1);
    await app.request('POST', '/admin/rubrik', { token: admin, body: { name: 'Teknologi' } });
    const v2 = (await directory()).version;
    expect(v2).toBeGreaterThan(v1);
    await app.request('POST', '/admin/rubrik', { token: admin, body: { name: 'Teknologi' } }); // 409: nothing changes
    expect((await directory()).version).toBe(v2);
  });
});
