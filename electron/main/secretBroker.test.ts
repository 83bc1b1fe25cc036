import { describe, expect, it } from 'vitest';
import { createSecretBroker, SECRET_REQUEST, type SafeStorageLike, type SecretResult } from './secretBroker';

/** Stands in for Electron's safeStorage: the keychain is the boundary faked here. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      calls.push('encrypt');
      return Buffer.concat([Buffer.from('v10'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]);
    },
    decryptString(sealed) {
      calls.push('decrypt');
      if (sealed.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(sealed.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
}

function ask(handle: ReturnType<typeof createSecretBroker>, message: unknown): { handled: boolean; results: SecretResult[] } {
  const results: SecretResult[] = [];
  const handled = handle(message, (r) => results.push(r));
  return { handled, results };
}

describe('secret broker (main: safeStorage for core)', () => {
  it('seals and opens a token with safeStorage, answering each request by id', () => {
    const storage = fakeSafeStorage();
    const handle = createSecretBroker(storage, 'linux');
    const sealed = ask(handle, { type: SECRET_REQUEST, id: 7, op: 'encrypt', text: 'token-abc' });
    expect(sealed.handled).toBe(true);
    expect(sealed.results).toEqual([{ type: 'secret-result', id: 7, ok: true, data: expect.any(String) }]);
    const data = (sealed.results[0] as { data: string }).data;
    expect(Buffer.from(data, 'base64').includes('token-abc')).toBe(false);

    const opened = ask(handle, { type: SECRET_REQUEST, id: 8, op: 'decrypt', data });
    expect(opened.results).toEqual([{ type: 'secret-result', id: 8, ok: true, text: 'token-abc' }]);
    expect(storage.calls).toEqual(['encrypt', 'decrypt']);
  });

  it('says unavailable without a keychain, and for Linux basic_text (a fixed key is no protection)', () => {
    for (const storage of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      const { results } = ask(createSecretBroker(storage, 'linux'), { type: SECRET_REQUEST, id: 1, op: 'encrypt', text: 't' });
      expect(results).toEqual([{ type: 'secret-result', id: 1, ok: false, reason: 'unavailable', message: expect.any(String) }]);
      expect(storage.calls).toEqual([]);
    }
    // basic_text is a Linux notion: elsewhere the keychain is used.
    expect(ask(createSecretBroker(fakeSafeStorage({ backend: 'basic_text' }), 'darwin'), { type: SECRET_REQUEST, id: 2, op: 'encrypt', text: 't' }).results[0]).toMatchObject({ ok: true });
  });

  it('answers a failed decryption and a malformed request with ok:false, and leaves other messages alone', () => {
    const handle = createSecretBroker(fakeSafeStorage(), 'linux');
    expect(ask(handle, { type: SECRET_REQUEST, id: 3, op: 'decrypt', data: Buffer.from('garbage').toString('base64') }).results[0]).toMatchObject({
      ok: false,
      reason: 'failed',
      message: expect.stringContaining('decrypting'),
    });
    expect(ask(handle, { type: SECRET_REQUEST, id: 4, op: 'steal' }).results[0]).toMatchObject({ ok: false, reason: 'failed' });
    expect(ask(handle, { type: SECRET_REQUEST, id: 5, op: 'encrypt', text: 'x'.repeat(20_000) }).results[0]).toMatchObject({ ok: false });
    expect(ask(handle, { type: SECRET_REQUEST, id: 'x', op: 'encrypt', text: 't' })).toEqual({ handled: true, results: [] });
    expect(ask(handle, { type: 'ready' })).toEqual({ handled: false, results: [] });
    expect(ask(handle, null)).toEqual({ handled: false, results: [] });
  });
});
