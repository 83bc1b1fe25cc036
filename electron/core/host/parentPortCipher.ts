import { CipherUnavailableError, type SecretCipher } from '../account/secretStore';
import type { ParentPortLike } from './parentPortServer';

/**
 * The session token sealed by the operating system's keychain in the desktop app: core runs
 * in a utilityProcess and never imports electron, so it asks main (electron/main/secretBroker.ts,
 * Electron's safeStorage) over process.parentPort. When main says the keychain is unavailable,
 * or does not answer in time, encrypting fails with CipherUnavailableError and the secret
 * store seals with core's own key instead.
 */
export const SECRET_REQUEST = 'secret-request';
export const SECRET_RESULT = 'secret-result';
const DEFAULT_TIMEOUT_MS = 10_000;

type Answer = { ok: true; data?: unknown; text?: unknown } | { ok: false; reason?: unknown; message?: unknown };

export function createParentPortCipher(parentPort: ParentPortLike, options: { timeoutMs?: number } = {}): SecretCipher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pending = new Map<number, (answer: Answer) => void>();
  let nextId = 1;
  parentPort.on('message', ({ data }) => {
    if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== SECRET_RESULT) return;
    const id = (data as { id?: unknown }).id;
    const settle = typeof id === 'number' ? pending.get(id) : undefined;
    settle?.(data as Answer);
  });

  function ask(request: { op: 'encrypt'; text: string } | { op: 'decrypt'; data: string }): Promise<Answer> {
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ ok: false, reason: 'unavailable', message: `main did not answer within ${timeoutMs} ms` });
      }, timeoutMs);
      pending.set(id, (answer) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(answer);
      });
      parentPort.postMessage({ type: SECRET_REQUEST, id, ...request });
    });
  }

  const failure = (answer: Answer & { ok: false }) => {
    const message = `keychain: ${typeof answer.message === 'string' ? answer.message : 'failed'}`;
    return answer.reason === 'unavailable' ? new CipherUnavailableError(message) : new Error(message);
  };

  return {
    kind: 'os',
    async encrypt(plain) {
      const answer = await ask({ op: 'encrypt', text: plain });
      if (!answer.ok) throw failure(answer);
      if (typeof answer.data !== 'string') throw new Error('keychain: malformed answer');
      return Buffer.from(answer.data, 'base64');
    },
    async decrypt(sealed) {
      const answer = await ask({ op: 'decrypt', data: Buffer.from(sealed).toString('base64') });
      if (!answer.ok) throw failure(answer);
      if (typeof answer.text !== 'string') throw new Error('keychain: malformed answer');
      return answer.text;
    },
  };
}
