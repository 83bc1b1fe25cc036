import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { passwordSchema, usernameSchema } from '../../shared/server-api/schemas';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const SERVER_USAGE = 'usage: npm run server -- --data DIR [--port N] [--host H] [--demo] [--create-admin USERNAME]   (password of the new admin in RUANG_ADMIN_PASSWORD; DATABASE_URL=postgres://… uses PostgreSQL instead of PGlite in DIR)';

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
  return { dataDir: resolve(values.data), port, host, demo: values.demo ?? false, createAdmin, databaseUrl };
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
