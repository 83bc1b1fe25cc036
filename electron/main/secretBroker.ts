// Seals and opens core's session token with the operating system's keychain (Electron's
// safeStorage), which only main can reach. Core (a utilityProcess) asks over its parentPort:
// { type: 'secret-request', id, op: 'encrypt', text } or { ..., op: 'decrypt', data (base64) };
// main answers { type: 'secret-result', id, ok: true, data | text } or { ..., ok: false, reason }.
// The other side is electron/core/host/parentPortCipher.ts; this file is tested in plain Node
// with a fake safeStorage.

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which keychain backs it. */
  getSelectedStorageBackend?(): string;
}

export const SECRET_REQUEST = 'secret-request';
export const SECRET_RESULT = 'secret-result';

/** A session token is ~43 characters; anything far larger is not ours. */
const MAX_SECRET_CHARS = 16_384;

export type SecretResult =
  | { type: typeof SECRET_RESULT; id: number; ok: true; data?: string; text?: string }
  | { type: typeof SECRET_RESULT; id: number; ok: false; reason: 'unavailable' | 'failed'; message: string };

/**
 * Returns a handler for the core child's messages: true when the message was a secret
 * request (answered through `reply`), false for anything else (left to other handlers).
 */
export function createSecretBroker(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform) {
  /**
   * On Linux without a keyring (no GNOME keyring, no KWallet) safeStorage falls back to
   * 'basic_text', a fixed key in Chromium's source: no protection. Saying "unavailable"
   * lets core use its own key instead, and the user is not told a keychain protects it.
   */
  const usable = () => {
    if (!safeStorage.isEncryptionAvailable()) return false;
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return false;
    return true;
  };

  return function handle(message: unknown, reply: (result: SecretResult) => void): boolean {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== SECRET_REQUEST) return false;
    const { id, op, text, data } = message as { id?: unknown; op?: unknown; text?: unknown; data?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return true; // nobody to answer
    const fail = (reason: 'unavailable' | 'failed', why: string) => reply({ type: SECRET_RESULT, id, ok: false, reason, message: why });
    if (!usable()) {
      fail('unavailable', 'the operating system keychain is not available');
      return true;
    }
    try {
      if (op === 'encrypt' && typeof text === 'string' && text.length <= MAX_SECRET_CHARS) {
        reply({ type: SECRET_RESULT, id, ok: true, data: safeStorage.encryptString(text).toString('base64') });
      } else if (op === 'decrypt' && typeof data === 'string' && data.length <= MAX_SECRET_CHARS * 2) {
        reply({ type: SECRET_RESULT, id, ok: true, text: safeStorage.decryptString(Buffer.from(data, 'base64')) });
      } else {
        fail('failed', 'malformed secret request');
      }
    } catch (error) {
      fail('failed', (error as Error).message);
    }
    return true;
  };
}
