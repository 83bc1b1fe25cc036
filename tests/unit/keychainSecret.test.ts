import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileSecretStore, createLocalCipher } from '../../electron/core/account/secretStore';
import { createParentPortCipher } from '../../electron/core/host/parentPortCipher';
import type { ParentPortLike, ParentPortMessage } from '../../electron/core/host/parentPortServer';
import { createSecretBroker, type SafeStorageLike } from '../../electron/main/secretBroker';

/**
 * Both halves of the desktop app's keychain path, joined as main.ts and utility.ts join
 * them: core's cipher posts on process.parentPort, main's broker answers through
 * child.postMessage. Electron cannot run here, so the port and safeStorage are stand-ins;
 * the two modules under test are the real ones.
 */
function wire(safeStorage: SafeStorageLike, options: { mainAnswers?: boolean } = {}) {
  const broker = createSecretBroker(safeStorage, 'linux');
  const coreListeners: Array<(m: ParentPortMessage) => void> = [];
  const parentPort: ParentPortLike = {
    on: (_event, listener) => coreListeners.push(listener),
    // main's child.on('message') handler; its answer arrives on core's parentPort a tick later.
    postMessage: (message) => {
      if (options.mainAnswers === false) return;
      broker(message, (result) => setImmediate(() => coreListeners.forEach((l) => l({ data: result, ports: [] }))));
    },
  };
  return createParentPortCipher(parentPort, { timeoutMs: 200 });
}

const keychain = (available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (plain) => Buffer.concat([Buffer.from('v11'), Buffer.from(plain).reverse()]),
  decryptString: (sealed) => Buffer.from(sealed.subarray(3)).reverse().toString(),
});

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('session token sealed by the keychain through main (desktop app)', () => {
  it('round-trips through main, the file naming the OS keychain', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rr-keychain-'));
    const file = join(dir, 'session-token');
    const store = createFileSecretStore(file, { preferred: wire(keychain()), fallback: createLocalCipher(randomBytes(32)) });
    await store.save('the-token');
    const sealed = JSON.parse(readFileSync(file, 'utf8')) as { kind: string; data: string };
    expect(sealed.kind).toBe('os');
    expect(Buffer.from(sealed.data, 'base64').toString()).toBe(`v11${'the-token'.split('').reverse().join('')}`);
    expect(await store.load()).toEqual({ secret: 'the-token' });
  });

  it('falls back to the local key when main has no keychain or does not answer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rr-keychain-'));
    const file = join(dir, 'session-token');
    const local = createLocalCipher(randomBytes(32));
    for (const cipher of [wire(keychain(false)), wire(keychain(), { mainAnswers: false })]) {
      const store = createFileSecretStore(file, { preferred: cipher, fallback: local });
      await store.save('the-token');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kind: 'local' });
      expect(await store.load()).toEqual({ secret: 'the-token' });
    }
  });
});
