import { resolve } from 'node:path';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { passwordSchema, usernameSchema } from '../../shared/server-api/schemas';
import type { PhotoStorageConfig } from '../photos/photoStorage';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const SERVER_USAGE =
  'usage: npm run server -- --data DIR [--port N] [--host H] [--demo] [--create-admin USERNAME] [--photos DIR] [--max-photo-mb N]   (password of the new admin in RUANG_ADMIN_PASSWORD; DATABASE_URL=postgres://… uses PostgreSQL instead of PGlite in DIR; PHOTOS_S3_BUCKET=… keeps photos in S3 instead of DIR/photos)';

export interface ServerArgs {
  /** Absolute data directory (PGlite's files live in DIR/pglite). */
  dataDir: string;
  /** 0 = any free port. */
  port: number;
  host: string;
  demo: boolean;
  /** `--create-admin USERNAME`: make sure this admin exists before serving, with the password from RUANG_ADMIN_PASSWORD. */
  createAdmin: { username: string; password: string } | undefined;
  /** From DATABASE_URL: PostgreSQL instead of PGlite. */
  databaseUrl: string | undefined;
  /** `--photos DIR` (default DATA/photos), or an S3 bucket from PHOTOS_S3_* variables. */
  photoStorage: PhotoStorageConfig;
  /** `--max-photo-mb N`: largest photo file accepted, bytes; undefined = the default. */
  maxPhotoBytes: number | undefined;
}

/** Parses the server's command line; every mistake is a UsageError naming the flag. */
export function parseServerArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ServerArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        demo: { type: 'boolean' },
        'create-admin': { type: 'string' },
        photos: { type: 'string' },
        'max-photo-mb': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${SERVER_USAGE}`);
  }
  if (!values.data) throw new UsageError(`--data DIR is required\n${SERVER_USAGE}`);
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${values.port}"\n${SERVER_USAGE}`);
    port = Number(values.port);
  }
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError(`--host needs a value\n${SERVER_USAGE}`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError('DATABASE_URL must start with postgres:// or postgresql://');
  const createAdmin = values['create-admin'] === undefined ? undefined : parseCreateAdmin(values['create-admin'], env);
  let maxPhotoBytes: number | undefined;
  if (values['max-photo-mb'] !== undefined) {
    if (!/^\d+$/.test(values['max-photo-mb']) || Number(values['max-photo-mb']) < 1) throw new UsageError(`--max-photo-mb must be a whole number of megabytes ≥ 1, got "${values['max-photo-mb']}"\n${SERVER_USAGE}`);
    maxPhotoBytes = Number(values['max-photo-mb']) * 1024 * 1024;
  }
  const dataDir = resolve(values.data);
  const photoStorage = photoStorageFrom(env, values.photos ? resolve(values.photos) : join(dataDir, 'photos'));
  return { dataDir, port, host, demo: values.demo ?? false, createAdmin, databaseUrl, photoStorage, maxPhotoBytes };
}

/** Checked before any storage is opened, so a mistake costs no database start. */
function parseCreateAdmin(rawUsername: string, env: NodeJS.ProcessEnv): { username: string; password: string } {
  const username = usernameSchema.safeParse(rawUsername);
  if (!username.success) throw new UsageError(`--create-admin: "${rawUsername}" is not a valid username (${username.error.issues[0]?.message ?? 'invalid'})`);
  // Never from argv: every user of the machine can read a process's arguments.
  const password = env.RUANG_ADMIN_PASSWORD;
  if (password === undefined || password === '') throw new UsageError('--create-admin: set the new admin\'s password in the environment variable RUANG_ADMIN_PASSWORD');
  if (!passwordSchema.safeParse(password).success) throw new UsageError('--create-admin: RUANG_ADMIN_PASSWORD must be 8 to 200 characters');
  return { username: username.data, password };
}

/**
 * Photos go to a directory unless PHOTOS_S3_BUCKET names a bucket: then PHOTOS_S3_REGION,
 * PHOTOS_S3_ENDPOINT (an S3-compatible service), PHOTOS_S3_FORCE_PATH_STYLE=1, and the
 * credentials of the AWS SDK's usual chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, …).
 */
function photoStorageFrom(env: NodeJS.ProcessEnv, directory: string): PhotoStorageConfig {
  const bucket = env.PHOTOS_S3_BUCKET?.trim();
  if (!bucket) return { kind: 'file', directory };
  const endpoint = env.PHOTOS_S3_ENDPOINT?.trim() || undefined;
  if (endpoint && !/^https?:\/\//.test(endpoint)) throw new UsageError('PHOTOS_S3_ENDPOINT must start with http:// or https://');
  return {
    kind: 's3',
    bucket,
    region: env.PHOTOS_S3_REGION?.trim() || undefined,
    endpoint,
    forcePathStyle: env.PHOTOS_S3_FORCE_PATH_STYLE === '1' || env.PHOTOS_S3_FORCE_PATH_STYLE === 'true',
  };
}
