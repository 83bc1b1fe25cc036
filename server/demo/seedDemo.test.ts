import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDirectory } from '../accounts/directory';
import { verifyPassword } from '../auth/password';
import { openTestDatabase, TEST_PASSWORD_COST, tableCounts, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';
import { DEMO_PASSWORD, DEMO_USERS } from './demoData';
import { seedDemo } from './seedDemo';

describe.each(ENGINES)('demo seed on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  }, 120_000);
  afterAll(async () => t?.close());

  it('seeds the demo newsroom once: a second run changes nothing', async () => {
    // An admin created a user called "admin" before the demo was seeded: it is reused, not duplicated.
    await t.db.query(
      `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
       VALUES ('11111111-1111-4111-8111-111111111111', 'admin', 'Admin Lama', 'admin', 'scrypt$1$1$1$x$y', now(), now())`,
    );
    expect(await seedDemo(t.db, { passwordCost: TEST_PASSWORD_COST })).toBe(true);
    const first = await readDirectory(t.db);
    const counts = await tableCounts(t.db);

    expect(await seedDemo(t.db, { passwordCost: TEST_PASSWORD_COST })).toBe(false);
    expect(await tableCounts(t.db)).toEqual(counts);
    expect(await readDirectory(t.db)).toEqual(first);

    expect(first.users.map((u) => u.username).sort()).toEqual(['admin', 'penulis1', 'penulis2', 'penulis3', 'redaktur1', 'redaktur2']);
    expect(first.users.find((u) => u.username === 'admin')!.displayName).toBe('Admin Lama');
    const paths = first.rubrik.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['Ekonomi › Industri › Otomotif', 'Megapolitan', 'Edisi Weekend', 'Foto', 'Video', 'Infografis']));
    expect(new Set(paths).size).toBe(paths.length);

    // Each redaktur edits the rubrik the demo data names.
    const byId = new Map(first.rubrik.map((r) => [r.id, r.path]));
    for (const demo of DEMO_USERS.filter((u) => u.edits)) {
      const user = first.users.find((u) => u.username === demo.username)!;
      expect(user.rubrikIds.map((id) => byId.get(id)).sort()).toEqual([...demo.edits!].sort());
    }
    // Every seeded account has the demo password.
    const hashes = await t.db.query<{ username: string; password_hash: string }>("SELECT username, password_hash FROM users WHERE username <> 'admin'");
    for (const { password_hash } of hashes) expect(await verifyPassword(DEMO_PASSWORD, password_hash)).toBe(true);
  });
});
