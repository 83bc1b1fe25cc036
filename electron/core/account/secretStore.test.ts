import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempProfile } from '../testing/tempProfile';
import { CipherUnavailableError, createFileSecretStore, createLocalCipher, type SecretCipher } from './secretStore';

let profile: ReturnType<typeof tempProfile>;
afterEach(() => profile?.remove());

const TOKEN = 'Qx7_tokenTOKENtokenTOKENtokenTOKENtokenTOK';

/** A keychain stand-in (the OS boundary): reversible, tagged, or unavailable. */
function osCipher(mode: 'works' | 'unavailable' = 'works'): SecretCipher {
  return {
    kind: 'os',
    async encrypt(plain) {
      if (mode === 'unavailable') throw new CipherUnavailableError('no keyring');
      return Buffer.concat([Buffer.from('os:'), Buffer.from(plain).map((b) => b ^ 0x33)]);
    },
    async decrypt(sealed) {
      return Buffer.from(Buffer.from(sealed).subarray(3).map((b) => b ^ 0x33)).toString();
    },
  };
}

describe('file secret store', () => {
  it('keeps the secret sealed in a 0600 file, written by rename, and reads it back', async () => {
    profile = tempProfile('rr-secret-');
    const file = join(profile.dir, 'session-token');
    const store = createFileSecretStore(file, { fallback: createLocalCipher(randomBytes(32)) });
    expect(await store.load()).toEqual({ secret: null, discarded: null });
    await store.save(TOKEN);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain(TOKEN);
    expect(JSON.parse(onDisk)).toMatchObject({ v: 1, kind: 'local' });
    expect(await store.load()).toEqual({ secret: TOKEN });
    // Another key (another profile's database) cannot open it.
    const stranger = createFileSecretStore(file, { fallback: createLocalCipher(randomBytes(32)) });
    expect(await stranger.load()).toMatchObject({ secret: null, discarded: expect.stringContaining('could not be opened') });
    expect(existsSync(file)).toBe(false);
  });

  it('discards a file other users can read, a symlink, and garbage', async () => {
    profile = tempProfile('rr-secret-');
    const file = join(profile.dir, 'session-token');
    const store = createFileSecretStore(file, { fallback: createLocalCipher(randomBytes(32)) });
    await store.save(TOKEN);
    chmodSync(file, 0o640);
    expect(await store.load()).toMatchObject({ secret: null, discarded: expect.stringContaining('readable by other users') });
    expect(existsSync(file)).toBe(false);

    const elsewhere = join(profile.dir, 'elsewhere');
    writeFileSync(elsewhere, 'x', { mode: 0o600 });
    symlinkSync(elsewhere, file);
    expect(await store.load()).toMatchObject({ secret: null, discarded: expect.stringContaining('not a regular file') });
    expect(existsSync(elsewhere)).toBe(true);

    writeFileSync(file, 'not json', { mode: 0o600 });
    expect(await store.load()).toMatchObject({ secret: null, discarded: expect.stringContaining('not a session file') });
    // Saving over whatever is there replaces it.
    await store.save(TOKEN);
    expect(await store.load()).toEqual({ secret: TOKEN });
    await store.clear();
    expect(existsSync(file)).toBe(false);
  });

  it('seals with the OS keychain when there is one, with the local key when it is unavailable; a host without that keychain cannot open it', async () => {
    profile = tempProfile('rr-secret-');
    const file = join(profile.dir, 'session-token');
    const local = createLocalCipher(randomBytes(32));
    await createFileSecretStore(file, { preferred: osCipher(), fallback: local }).save(TOKEN);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kind: 'os' });
    expect(await createFileSecretStore(file, { preferred: osCipher(), fallback: local }).load()).toEqual({ secret: TOKEN });
    // Web mode on the desktop app's profile: no keychain here, so the user logs in again.
    expect(await createFileSecretStore(file, { fallback: local }).load()).toMatchObject({ secret: null, discarded: expect.stringContaining('(os)') });

    await createFileSecretStore(file, { preferred: osCipher('unavailable'), fallback: local }).save(TOKEN);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kind: 'local' });
    expect(await createFileSecretStore(file, { preferred: osCipher('unavailable'), fallback: local }).load()).toEqual({ secret: TOKEN });
  });
});
