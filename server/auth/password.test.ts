import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('hashes at the production cost with a random salt and verifies only the right password', async () => {
    const hash = await hashPassword('redaksi123');
    expect(hash).toMatch(new RegExp(`^scrypt\\$${DEFAULT_SCRYPT_COST.N}\\$8\\$1\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}$`));
    expect(hash).not.toContain('redaksi123');
    expect(await hashPassword('redaksi123')).not.toBe(hash);
    expect(await verifyPassword('redaksi123', hash)).toBe(true);
    expect(await verifyPassword('redaksi124', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('treats a password as its NFC form (the same word typed on another keyboard still matches)', async () => {
    const cost = { N: 2 ** 10, r: 8, p: 1 };
    const hash = await hashPassword('re\u0301daksi', cost);
    expect(await verifyPassword('r\u00e9daksi', hash)).toBe(true);
  });

  it('never matches a malformed stored hash', async () => {
    for (const stored of ['', 'plain', 'scrypt$1$2$3', 'bcrypt$16384$8$1$AAAA$BBBB', 'scrypt$x$8$1$AAAA$BBBB', 'scrypt$1024$8$1$AAAA$QUJD']) {
      expect(await verifyPassword('redaksi123', stored)).toBe(false);
    }
  });
});
