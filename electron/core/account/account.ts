import { z } from 'zod';
import type { AccountStatus, Directory } from '../../../shared/domain/newsroom';
import type { AccountService, DirectoryService } from '../../../shared/rpc/contract';
import { RpcError } from '../../../shared/rpc/protocol';
import { ROLES } from '../../../shared/server-api/schemas';
import { normalizeServerUrl, ServerRequestError, type ServerClient } from '../net/serverClient';
import type { ServerSession, SessionSource } from '../sync/session';
import type { AccountRepository} from './accountRepository';
import { toAccountUser, type AccountRow } from './accountRepository';
import type { SecretStore } from './secretStore';

export interface AccountOptions {
  repository: AccountRepository;
  secrets: SecretStore;
  client: ServerClient;
  /** The server the login screen offers when this profile has used none yet. */
  defaultServerUrl?: string | undefined;
  onAccountChanged(status: AccountStatus): void;
  onDirectoryChanged(directory: Directory): void;
  /** Failures nobody awaits (background refresh, revoking a session on the server). */
  onInternalError(what: string, error: unknown): void;
}

export interface Account {
  service: AccountService;
  directory: DirectoryService;
  /** The logged-in session for the sync engine (electron/core/sync/session.ts). */
  session: SessionSource;
  /**
   * Fetches `/directory` with the current session and caches it (the sync engine calls this
   * when `/changes` reports a new directory version). Never rejects: offline or logged out
   * keeps the cached one; a 401 makes the account `expired`.
   */
  refreshDirectory(): Promise<void>;
  /** Resolves once the saved session has been read from its store (startup). */
  ready: Promise<void>;
  /** Stops every request in flight and ignores their answers (core is closing). */
  dispose(): void;
}

const directorySchema = z.object({
  version: z.number().int().min(0),
  users: z.array(
    z.object({
      id: z.string(),
      username: z.string(),
      displayName: z.string(),
      role: z.enum(ROLES),
      active: z.boolean(),
      rubrikIds: z.array(z.string()),
    }),
  ),
  rubrik: z.array(
    z.object({ id: z.string(), parentId: z.string().nullable(), name: z.string(), path: z.string(), position: z.number() }),
  ),
});

const loginResponseSchema = z.object({
  token: z.string().min(1),
  user: z.object({ id: z.string().min(1), username: z.string().min(1), displayName: z.string(), role: z.enum(ROLES) }),
});

/** Logout tells the server when it can; a slow server must not hold the user up. */
const LOGOUT_TIMEOUT_MS = 5_000;

/**
 * The account of this profile: login, logout, status and the session token (kept by a
 * SecretStore), the profile's owner (the first account that logged in; nobody else may),
 * `expired` when the server refuses the saved token, and the directory cache. Writing never
 * depends on any of this: every state leaves local work untouched.
 */
export function createAccount(options: AccountOptions): Account {
  const { repository, secrets, client } = options;
  const lifetime = new AbortController();
  const sessionListeners = new Set<(session: ServerSession | null) => void>();
  let session: ServerSession | null = null;
  let disposed = false;
  // Login, logout and expiry change the same row and token: one at a time, in call order.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  const status = (row: AccountRow = repository.read()): AccountStatus => ({
    state: row.state,
    serverUrl: row.serverUrl ?? options.defaultServerUrl ?? null,
    user: row.user,
    owner: row.owner,
  });

  function setSession(next: ServerSession | null): void {
    session = next;
    for (const listener of [...sessionListeners]) {
      try {
        listener(next);
      } catch (error) {
        options.onInternalError('session listener', error);
      }
    }
  }

  function announce(): AccountStatus {
    const current = status();
    options.onAccountChanged(current);
    return current;
  }

  /** The saved token was refused (or lost): keep the user, forget the token, say `expired`. */
  async function expire(reason: string): Promise<void> {
    const row = repository.read();
    if (row.state !== 'logged_in' || !row.user) return;
    repository.write({ ...row, state: 'expired' });
    setSession(null);
    try {
      await secrets.clear();
    } catch (error) {
      options.onInternalError(`clearing the session (${reason})`, error);
    }
    announce();
  }

  const ready = serialized(async () => {
    // A core closed right after it opened (a short-lived tool, a test) has closed the store.
    if (disposed) return;
    const row = repository.read();
    if (row.state !== 'logged_in' || !row.user || !row.serverUrl) return;
    let loaded;
    try {
      loaded = await secrets.load();
    } catch (error) {
      options.onInternalError('reading the saved session', error);
      loaded = { secret: null, discarded: (error as Error).message };
    }
    if (disposed) return;
    if (loaded.secret === null) {
      await expire(loaded.discarded ?? 'the saved session is missing');
      return;
    }
    setSession({ serverUrl: row.serverUrl, token: loaded.secret, user: row.user });
    // Quietly, in the background: a fresh directory if the server is there, and an early
    // `expired` if it no longer knows this token.
    void refreshDirectory();
  }).catch((error: unknown) => options.onInternalError('loading the saved session', error));

  async function login(input: { serverUrl: string; username: string; password: string }): Promise<AccountStatus> {
    const serverUrl = normalizeServerUrl(input.serverUrl);
    const answer = await client.login(serverUrl, input.username.trim().toLowerCase(), input.password, lifetime.signal);
    const parsed = loginResponseSchema.safeParse(answer);
    if (!parsed.success) throw new RpcError('server_unreachable', `The server at ${serverUrl} answered the login in a shape this app does not know`);
    const { token } = parsed.data;
    const user = toAccountUser(parsed.data.user);
    return serialized(async () => {
      const row = repository.read();
      if (row.owner && row.owner.id !== user.id) {
        // Nothing changes here; the session just opened on the server is closed again.
        revokeQuietly(serverUrl, token);
        throw new RpcError(
          'profile_owned',
          `This profile belongs to ${row.owner.displayName} (${row.owner.username}); ${user.username} cannot log in on it. ` +
            `Log in as ${row.owner.username}, or use another profile for ${user.username}.`,
        );
      }
      const previous = session;
      try {
        await secrets.save(token);
      } catch (error) {
        revokeQuietly(serverUrl, token);
        throw error;
      }
      // The owner's name and role follow the server; who it is never changes.
      repository.write({ state: 'logged_in', serverUrl, user, owner: row.owner ?? user });
      setSession({ serverUrl, token, user });
      if (previous && previous.token !== token) revokeQuietly(previous.serverUrl, previous.token);
      const result = announce();
      // Not awaited: the login screen should not wait a second round trip (nor its deadline).
      void refreshDirectory();
      return result;
    });
  }

  function logout(): Promise<AccountStatus> {
    return serialized(async () => {
      const row = repository.read();
      const ending = session;
      setSession(null);
      await secrets.clear();
      repository.write({ ...row, state: 'logged_out', user: null });
      // Offline or refused does not matter: the token is forgotten here, which is what logout promises.
      if (ending) revokeQuietly(ending.serverUrl, ending.token);
      return row.state === 'logged_out' ? status() : announce();
    });
  }

  function revokeQuietly(serverUrl: string, token: string): void {
    client.logout(serverUrl, token, AbortSignal.any([lifetime.signal, AbortSignal.timeout(LOGOUT_TIMEOUT_MS)])).catch(() => {});
  }

  // One fetch at a time; a call while one runs gets one more fetch after it (never an answer
  // from before it asked: the sync engine asks because something changed meanwhile).
  let refreshing: Promise<void> | null = null;
  let refreshAgain: Promise<void> | null = null;
  function refreshDirectory(): Promise<void> {
    if (!refreshing) {
      refreshing = fetchDirectory().finally(() => (refreshing = null));
      return refreshing;
    }
    refreshAgain ??= refreshing.then(() => {
      refreshAgain = null;
      return refreshDirectory();
    });
    return refreshAgain;
  }

  async function fetchDirectory(): Promise<void> {
    const asked = session;
    if (!asked || disposed) return;
    let answer: unknown;
    try {
      answer = await client.directory(asked.serverUrl, asked.token, lifetime.signal);
    } catch (error) {
      if (disposed) return;
      if (error instanceof ServerRequestError && error.status === 401) sessionSource.reportRejected(asked);
      else if (!(error instanceof ServerRequestError && error.code === 'server_unreachable')) options.onInternalError('directory refresh', error);
      return;
    }
    if (disposed || session?.token !== asked.token) return;
    const parsed = directorySchema.safeParse(answer);
    if (!parsed.success) {
      options.onInternalError('directory refresh', new Error(`GET /directory answered an unexpected shape: ${parsed.error.message}`));
      return;
    }
    const directory = parsed.data as Directory;
    const cached = repository.readDirectory();
    if (JSON.stringify(cached) === JSON.stringify(directory)) return;
    repository.writeDirectory(asked.serverUrl, directory);
    options.onDirectoryChanged(directory);
  }

  const sessionSource: SessionSource = {
    current: () => session,
    onChange(listener) {
      sessionListeners.add(listener);
      return () => sessionListeners.delete(listener);
    },
    reportRejected(rejected) {
      if (disposed || session?.token !== rejected.token) return;
      void serialized(async () => {
        if (session?.token === rejected.token) await expire('the server refused the session');
      }).catch((error: unknown) => options.onInternalError('marking the session expired', error));
    },
  };

  return {
    service: {
      status: async () => status(),
      login,
      logout: () => logout(),
    },
    directory: { get: async () => repository.readDirectory() },
    session: sessionSource,
    refreshDirectory,
    ready,
    dispose() {
      disposed = true;
      lifetime.abort();
      sessionListeners.clear();
    },
  };
}

