import * as Y from 'yjs';
import type { AttachedPhoto, PhotoUploadStatus } from '../../../shared/domain/photo';
import { EMPTY_DIRECTORY, type AccountStatus, type Directory, type SyncStatus } from '../../../shared/domain/newsroom';
import { createRpcClient } from '../../../shared/rpc/client';
import { coreInputSchemas, type CoreEvents, type CoreServices, type WorkflowService } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { RpcError } from '../../../shared/rpc/protocol';
import { createRpcServer } from '../../../shared/rpc/server';
import type { CoreConnection } from '../core/connection';
import type { ReconnectingEndpoint } from '../core/reconnectingEndpoint';
import { standInCommands } from './standInCommands';
import { standInWorkflow } from './standInWorkflow';

export interface StandInOptions {
  /**
   * false: a core built without the review workflow (every workflow.* call refuses with
   * 'unknown_method', as core's placeholder does). Default true: comments, versions and
   * commands in memory (`workflow`, `commands`).
   */
  workflow?: boolean;
}

/** What core answers to every workflow.* call before the workflow is built. */
function workflowRefused(): WorkflowService {
  const refuse = (): Promise<never> => Promise.reject(new RpcError('unknown_method', 'the review workflow is not available in this build yet'));
  return { get: refuse, command: refuse, comment: refuse, resolve: refuse, version: refuse, dismissRefusal: refuse };
}

/**
 * For unit tests: a stand-in core that answers the real contract over the real RPC layer
 * (memory transport, core's own input schemas), so the renderer's stores and sessions are
 * tested at the boundary they use in the app. Tests steer it through the returned handles.
 */
export function standInCore(options: StandInOptions = {}) {
  const state = {
    account: { state: 'logged_out', serverUrl: 'http://127.0.0.1:9', user: null, owner: null } as AccountStatus,
    sync: { state: 'offline', pending: 0, lastSyncedAt: null, problem: 'not_logged_in' } as SyncStatus,
    directory: EMPTY_DIRECTORY as Directory,
    /** What account.login answers: an account status or an error to throw. */
    loginAnswer: null as AccountStatus | RpcError | null,
    docs: new Map<string, Y.Doc>(),
    pushes: [] as Array<{ storyId: string; update: Uint8Array }>,
    loginCalls: [] as Array<{ serverUrl: string; username: string; password: string }>,
    syncNowCalls: 0,
    /** When set, directory.get answers only once it resolves (to order a reply after an event). */
    directoryGate: null as Promise<void> | null,
    /** What photos.attach answers for a file (by name): the stored photo or an error to throw. */
    attachAnswers: new Map<string, AttachedPhoto | RpcError>(),
    attachCalls: [] as Array<{ storyId: string; fileName: string; byteLength: number }>,
    /** What photos.uploads answers per sha256 (absent: not listed). */
    uploads: new Map<string, PhotoUploadStatus>(),
  };
  const fail = () => Promise.reject(new RpcError('internal', 'not in this test'));
  const docOf = (storyId: string) => {
    let doc = state.docs.get(storyId);
    if (!doc) state.docs.set(storyId, (doc = new Y.Doc()));
    return doc;
  };
  // Set once the RPC server exists (it carries the events).
  let broadcastReview = (_storyId: string) => {};
  const workflow = standInWorkflow({ userId: () => state.account.user?.id ?? 'nobody', onChange: (storyId) => broadcastReview(storyId) });
  // Commands layered over comments and versions: one workflow service, as core has.
  const commands = standInCommands(workflow.service, (storyId) => broadcastReview(storyId));
  const services: CoreServices = {
    stories: { create: fail, list: fail, get: fail, search: fail, delete: fail, restore: fail },
    docs: {
      open: async ({ storyId }) => ({ storyId, state: Y.encodeStateAsUpdate(docOf(storyId)) }),
      push: async ({ storyId, update }) => {
        state.pushes.push({ storyId, update });
        Y.applyUpdate(docOf(storyId), update);
        return { persisted: true };
      },
      close: async () => {},
    },
    photos: {
      attach: async ({ storyId, fileName, bytes }) => {
        state.attachCalls.push({ storyId, fileName, byteLength: bytes.byteLength });
        const answer = state.attachAnswers.get(fileName);
        if (answer instanceof RpcError) throw answer;
        if (!answer) throw new RpcError('photo_invalid', `no answer for ${fileName} in this test`);
        return answer;
      },
      rendition: fail,
      uploads: async ({ sha256s }) => sha256s.flatMap((sha) => state.uploads.get(sha) ?? []),
    },
    workflow: options.workflow === false ? workflowRefused() : commands.service,
    account: {
      status: async () => state.account,
      login: async (input) => {
        state.loginCalls.push(input);
        const answer = state.loginAnswer;
        if (answer instanceof RpcError) throw answer;
        if (!answer) throw new RpcError('server_unreachable', 'no server in this test');
        state.account = answer;
        return answer;
      },
      logout: async () => {
        state.account = { ...state.account, state: 'logged_out', user: null };
        return state.account;
      },
    },
    sync: {
      status: async () => state.sync,
      now: async () => {
        state.syncNowCalls++;
        return state.sync;
      },
    },
    directory: {
      get: async () => {
        const answer = state.directory;
        await state.directoryGate;
        return answer;
      },
    },
    settings: { getAll: async () => ({ uiLanguage: 'id', maxPhotoMegabytes: 50 }), set: fail },
  };
  const server = createRpcServer<CoreServices, CoreEvents>(services, coreInputSchemas);
  const [coreSide, pageSide] = createMemoryEndpointPair();
  server.attach(coreSide);
  broadcastReview = (storyId) => server.broadcast('reviewChanged', { storyId });
  const client = createRpcClient<CoreServices, CoreEvents>(pageSide);
  // The memory link is always up: what the session asks of a reconnecting endpoint.
  const endpoint = Object.assign(pageSide, {
    status: () => ({ state: 'connected' as const, everConnected: true, failures: 0 }),
    onStatus: () => () => {},
    onConnected: () => () => {},
    retryNow: () => {},
  }) as unknown as ReconnectingEndpoint;
  const connection: CoreConnection = { client, endpoint, transport: 'websocket' };
  return {
    state,
    connection,
    /** Broadcasts a core event to the page, as core does. */
    emit<E extends keyof CoreEvents & string>(event: E, payload: CoreEvents[E]) {
      server.broadcast(event, payload);
    },
    docOf,
    /** Workflow commands in memory (status, outbox, refusals): steer them from tests. */
    commands,
    /** The in-memory review workflow (comments, versions): steer it from tests. */
    workflow,
  };
}

/** Lets the memory transport deliver what is in flight. */
export const settle = (ms = 5) => new Promise((r) => setTimeout(r, ms));
