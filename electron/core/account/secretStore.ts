import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, rmSync } from 'node:fs';
import { replaceFile } from '../host/profileFile';

/** Where the session token is kept between runs. Implementations encrypt it at rest. */
export interface SecretStore {
  /** The saved secret, or null when there is none or it can no longer be read (then it is gone). */
  load(): Promise<SecretLoad>;
  /** Replaces the saved secret; resolves once it is on disk. */
  save(secret: string): Promise<void>;
  clear(): Promise<void>;
}

export type SecretLoad =
  | { secret: string }
  | { secret: null; /** Why a file that existed was not used (null: there was none). */ discarded: string | null };

/** Seals and opens bytes: the operating system's keychain (Electron safeStorage) or a local key. */
export interface SecretCipher {
  /** Written into the file so the right cipher opens it later. */
  readonly kind: 'os' | 'local';
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(sealed: Uint8Array): Promise<string>;
}

/** The cipher cannot be used on this machine (no keychain): the store falls back to the local key. */
export class CipherUnavailableError extends Error {
  override name = 'CipherUnavailableError';
}

/**
 * AES-256-GCM with a key kept apart from the sealed file (core keeps it in its database):
 * the token never sits on disk in plain text, and the file alone (a copied backup, a synced
 * folder) does not reveal it. Against another local account the file's 0600 mode is what
 * protects it; against this user's own processes nothing in web mode can.
 */
export function createLocalCipher(key: Uint8Array): SecretCipher {
  if (key.byteLength !== 32) throw new Error('the local secret key must be 32 bytes');
  return {
    kind: 'local',
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(sealed) {
      const bytes = Buffer.from(sealed);
      if (bytes.byteLength < 28) throw new Error('sealed secret too short');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

interface SealedFile {
  v: 1;
  kind: 'os' | 'local';
  data: string;
}

/**
 * The secret in one owner-only (0600) file of the profile, sealed by `preferred` (the OS
 * keychain when there is one), else by `fallback` (the local key). Written beside and renamed
 * over, so a crash leaves the old file or the new one, never half of one. A file other users
 * can read, a symlink, or one no cipher here opens is discarded: the user logs in again.
 */
export function createFileSecretStore(
  file: string,
  ciphers: { preferred?: SecretCipher | undefined; fallback: SecretCipher },
  options: { platform?: NodeJS.Platform } = {},
): SecretStore {
  const platform = options.platform ?? process.platform;
  const byKind = (kind: string) => [ciphers.preferred, ciphers.fallback].find((c) => c?.kind === kind);

  function discard(reason: string): SecretLoad {
    rmSync(file, { force: true });
    return { secret: null, discarded: reason };
  }

  return {
    async load() {
      let stat;
      try {
        stat = lstatSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { secret: null, discarded: null };
        throw error;
      }
      if (!stat.isFile()) return discard(`${file} was not a regular file`);
      // Windows has no mode bits to check (the profile lives in the user's own AppData there).
      if (platform !== 'win32' && (stat.mode & 0o077) !== 0) return discard(`${file} was readable by other users`);
      let sealed: SealedFile;
      try {
        sealed = JSON.parse(readFileSync(file, 'utf8')) as SealedFile;
        if (sealed.v !== 1 || typeof sealed.data !== 'string') throw new Error('unknown format');
      } catch {
        return discard(`${file} is not a session file this version reads`);
      }
      const cipher = byKind(sealed.kind);
      if (!cipher) return discard(`${file} was sealed by a keychain this host does not have (${sealed.kind})`);
      try {
        return { secret: await cipher.decrypt(Buffer.from(sealed.data, 'base64')) };
      } catch (error) {
        // A keychain away for now (main slow to answer) may be back next time: keep the file.
        if (error instanceof CipherUnavailableError) return { secret: null, discarded: `${file} could not be opened now (${error.message})` };
        return discard(`${file} could not be opened (${(error as Error).message})`);
      }
    },
    async save(secret) {
      let cipher = ciphers.preferred ?? ciphers.fallback;
      let data: Uint8Array;
      try {
        data = await cipher.encrypt(secret);
      } catch (error) {
        if (!(error instanceof CipherUnavailableError) || cipher === ciphers.fallback) throw error;
        cipher = ciphers.fallback;
        data = await cipher.encrypt(secret);
      }
      const sealed: SealedFile = { v: 1, kind: cipher.kind, data: Buffer.from(data).toString('base64') };
      replaceFile(file, `${JSON.stringify(sealed)}\n`, 0o600);
    },
    async clear() {
      rmSync(file, { force: true });
    },
  };
}
