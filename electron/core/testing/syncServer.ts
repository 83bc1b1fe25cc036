import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { addPhoto } from '../../../shared/doc/photos';
import { getMetaMap } from '../../../shared/doc/storyDoc';
import type { AccountUser } from '../../../shared/domain/newsroom';
import type { DirectoryResponse, LoginResponse } from '../../../shared/server-api/schemas';
import type { SyncResponse } from '../../../shared/server-api/sync';
import type { ServerSession, SessionSource } from '../sync/session';
import { buildServerBundle, startNewsroomServer as startServerProcess, type BuiltDist, type RunningServer } from './newsroomServer';

/**
 * The server bundled from today's sources, once per test process (unit tests run before
 * `npm run build`, and a stale dist/ would test yesterday's server); tests start it as its
 * own process, like production.
 */
let bundle: Promise<BuiltDist> | undefined;
function serverBundle(): Promise<BuiltDist> {
  if (!bundle) {
    bundle = buildServerBundle('rr-sync-server-');
    void bundle.then((built) => process.once('exit', () => built.remove()));
  }
  return bundle;
}

export interface NewsroomServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Stops the process (SIGTERM) and removes its data. */
  stop(): Promise<void>;
}

/**
 * A real newsroom server process with the demo newsroom (`--demo`), on a free port.
 * Its data directory is temporary unless one is given (then it is kept); the port is free
 * unless one is given (a restart on the same address). The process itself is started by
 * newsroomServer.ts, the one place core's tests spawn a server.
 */
export async function startNewsroomServer(options: { dataDir?: string; port?: number } = {}): Promise<NewsroomServer> {
  const { serverScript } = await serverBundle();
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rr-server-'));
  let running: RunningServer;
  try {
    running = await startServerProcess(serverScript, dataDir, options.port === undefined ? {} : { port: options.port });
  } catch (error) {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: running.url,
    dataDir,
    process: running.child,
    async stop() {
      await running.stop();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const DEMO_PASSWORD = 'redaksi123';

/** Logs in with plain HTTP, as the account side of core does. */
export async function loginSession(serverUrl: string, username: string, password = DEMO_PASSWORD): Promise<ServerSession> {
  const response = await fetch(new URL('/auth/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login ${username}: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as LoginResponse;
  const user: AccountUser = { id: body.user.id, username: body.user.username, displayName: body.user.displayName, role: body.user.role };
  return { serverUrl, token: body.token, user };
}

export async function fetchDirectory(session: ServerSession): Promise<DirectoryResponse> {
  const response = await fetch(new URL('/directory', session.serverUrl), { headers: { authorization: `Bearer ${session.token}` } });
  if (!response.ok) throw new Error(`directory: HTTP ${response.status}`);
  return (await response.json()) as DirectoryResponse;
}

/**
 * Pushes a new story of `session`'s user, assigned to the redaktur `redakturUsername`, whose
 * photos map names `sha256`, as a client's first sync would: the server lets whoever may see
 * a story read the photos it references (besides their uploaders). Answers the story's id.
 */
export async function pushStoryWithPhoto(session: ServerSession, sha256: string, redakturUsername: string): Promise<string> {
  const directory = await fetchDirectory(session);
  const redaktur = directory.users.find((u) => u.username === redakturUsername);
  if (!redaktur) throw new Error(`no user ${redakturUsername}`);
  const doc = new Y.Doc();
  const meta = getMetaMap(doc);
  meta.set('headline', 'Foto untuk redaktur');
  meta.set('redakturId', redaktur.id);
  meta.set('penulisIds', [session.user.id]);
  addPhoto(doc, randomUUID(), { sha256, mime: 'image/jpeg', width: 1, height: 1, caption: '', credit: '', photographer: '', source: '', dateTaken: '' });
  const id = randomUUID();
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const response = await fetch(new URL('/sync', session.serverUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ stories: [{ id, update: b64(Y.encodeStateAsUpdate(doc)), stateVector: b64(Y.encodeStateVector(doc)) }] }),
  });
  if (!response.ok) throw new Error(`sync: HTTP ${response.status} ${await response.text()}`);
  const [result] = ((await response.json()) as SyncResponse).stories;
  if (!result?.ok) throw new Error(`sync refused: ${JSON.stringify(result)}`);
  doc.destroy();
  return id;
}

/** A SessionSource tests drive by hand: set() changes the session, `rejected` lists what reportRejected got. */
export class ManualSessionSource implements SessionSource {
  readonly rejected: ServerSession[] = [];
  private readonly listeners = new Set<(session: ServerSession | null) => void>();

  constructor(private session: ServerSession | null = null) {}

  current(): ServerSession | null {
    return this.session;
  }

  onChange(listener: (session: ServerSession | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reportRejected(session: ServerSession): void {
    this.rejected.push(session);
  }

  set(session: ServerSession | null): void {
    this.session = session;
    for (const l of [...this.listeners]) l(session);
  }
}
