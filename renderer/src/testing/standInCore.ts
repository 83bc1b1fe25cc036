import * as Y from 'yjs';
import { EMPTY_DIRECTORY, type AccountStatus, type Directory, type SyncStatus } from '../../../shared/domain/newsroom';
import { createRpcClient } from '../../../shared/rpc/client';
import { coreInputSchemas, type CoreEvents, type CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { RpcError } from '../../../shared/rpc/protocol';
import { createRpcServer } from '../../../shared/rpc/server';
import type { StoryReview } from '../../../shared/domain/review';
import type { StoryStatus } from '../../../shared/domain/story';
import { allowedCommands, decideCommand, editReadOnlyReason, type StoryRelation, type WorkflowCommand } from '../../../shared/workflow/rules';
import type { CoreConnection } from '../core/connection';
import type { ReconnectingEndpoint } from '../core/reconnectingEndpoint';

/**
 * For unit tests: a stand-in core that answers the real contract over the real RPC layer
 * (memory transport, core's own input schemas), so the renderer's stores and sessions are
 * tested at the boundary they use in the app. Tests steer it through the returned handles.
 */
export function standInCore() {
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
    /** The review workflow in memory: one record per story (see `review`). */
    workflow: {
      stories: new Map<string, WorkflowRecord>(),
      /** Online: a command reaches "the server" at once; offline it waits in the outbox. */
      online: true,
      commandCalls: [] as Array<{ storyId: string; command: WorkflowCommand; note?: string | undefined }>,
      /** workflow.get answers only once this resolves (to order a reply after an event). */
      getGate: null as Promise<void> | null,
    },
  };
  const fail = () => Promise.reject(new RpcError('internal', 'not in this test'));
  const docOf = (storyId: string) => {
    let doc = state.docs.get(storyId);
    if (!doc) state.docs.set(storyId, (doc = new Y.Doc()));
    return doc;
  };
  const reviewOf = (storyId: string): WorkflowRecord => {
    const record = state.workflow.stories.get(storyId);
    if (!record) throw new RpcError('not_found', 'no such story');
    return record;
  };
  let commandSeq = 0;
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
    photos: { attach: fail, rendition: fail, uploads: async () => [] },
    // What core's workflow does, cut to what the renderer sees: the local rules decide at once,
    // an online command is applied, an offline one waits in the outbox (status shown ahead).
    workflow: {
      get: async ({ storyId }) => {
        const record = reviewOf(storyId);
        await state.workflow.getGate;
        return toReview(storyId, record);
      },
      command: async ({ storyId, command, note }) => {
        state.workflow.commandCalls.push({ storyId, command, note });
        const record = reviewOf(storyId);
        const decision = decideCommand(command, record.relation, shownStatus(record));
        if (!decision.ok) throw new RpcError('workflow_refused', `${command}: ${decision.reason}`);
        if (command === 'request_revision' && !note) throw new RpcError('invalid_input', 'request_revision needs a note');
        const entry = { id: `cmd-${++commandSeq}`, command, issuedAt: Date.now(), ...(note ? { note } : {}) };
        record.outbox.push(entry);
        if (state.workflow.online) deliver(storyId);
        else server.broadcast('reviewChanged', { storyId });
        return toReview(storyId, record);
      },
      comment: fail,
      resolve: fail,
      version: fail,
      dismissRefusal: async ({ storyId }) => {
        const record = reviewOf(storyId);
        record.lastRefusal = null;
        return toReview(storyId, record);
      },
    },
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
    settings: { getAll: async () => ({ uiLanguage: 'id' }), set: fail },
  };
  const server = createRpcServer<CoreServices, CoreEvents>(services, coreInputSchemas);
  const [coreSide, pageSide] = createMemoryEndpointPair();
  server.attach(coreSide);
  const client = createRpcClient<CoreServices, CoreEvents>(pageSide);
  // The memory link is always up: what the session asks of a reconnecting endpoint.
  const endpoint = Object.assign(pageSide, {
    status: () => ({ state: 'connected' as const, everConnected: true, failures: 0 }),
    onStatus: () => () => {},
    onConnected: () => () => {},
    retryNow: () => {},
  }) as unknown as ReconnectingEndpoint;
  const connection: CoreConnection = { client, endpoint, transport: 'websocket' };
  /** "The server" takes the story's outbox: each command applied in turn (the status moves). */
  function deliver(storyId: string): void {
    const record = reviewOf(storyId);
    for (const c of record.outbox.splice(0)) {
      const decision = decideCommand(c.command, record.relation, record.serverStatus);
      if (!decision.ok) continue;
      record.serverStatus = decision.to;
      if (c.command === 'request_revision') {
        record.revisionNote = c.note ?? null;
        record.revisionNoteBy = 'redaktur';
      }
    }
    server.broadcast('reviewChanged', { storyId });
  }
  return {
    state,
    connection,
    /** Puts a story into the in-memory workflow (as the server last told core). */
    review(storyId: string, record: Partial<Omit<WorkflowRecord, 'outbox'>> & { relation: StoryRelation }): WorkflowRecord {
      const full: WorkflowRecord = { serverStatus: 'draft', revisionNote: null, revisionNoteBy: null, lastRefusal: null, outbox: [], ...record };
      state.workflow.stories.set(storyId, full);
      return full;
    },
    /** Sends every queued command of the story (a sync), emitting reviewChanged. */
    deliver,
    /** The server refused the story's queued commands: they leave the outbox and the refusal is kept to show. */
    refuse(storyId: string, code: string, message: string, failures: string[] = []) {
      const record = reviewOf(storyId);
      const first = record.outbox.splice(0)[0];
      record.lastRefusal = { commandId: first?.id ?? 'cmd-0', command: first?.command ?? 'submit', code, message, failures };
      server.broadcast('reviewChanged', { storyId });
    },
    /** Broadcasts a core event to the page, as core does. */
    emit<E extends keyof CoreEvents & string>(event: E, payload: CoreEvents[E]) {
      server.broadcast(event, payload);
    },
    docOf,
  };
}

/** One story's review state in the stand-in core. */
export interface WorkflowRecord {
  serverStatus: StoryStatus;
  relation: StoryRelation;
  revisionNote: string | null;
  revisionNoteBy: string | null;
  lastRefusal: StoryReview['lastRefusal'];
  outbox: Array<{ id: string; command: WorkflowCommand; issuedAt: number; note?: string }>;
}

/** The status shown: where the queued commands lead from the server's. */
function shownStatus(record: WorkflowRecord): StoryStatus {
  let status = record.serverStatus;
  for (const c of record.outbox) {
    const decision = decideCommand(c.command, record.relation, status);
    if (decision.ok) status = decision.to;
  }
  return status;
}

function toReview(storyId: string, record: WorkflowRecord): StoryReview {
  const status = shownStatus(record);
  return {
    storyId,
    status,
    serverStatus: record.serverStatus,
    revisionNote: record.revisionNote,
    revisionNoteBy: record.revisionNoteBy,
    allowed: allowedCommands(record.relation, status),
    readOnlyReason: editReadOnlyReason(record.relation, status),
    comments: [],
    threads: [],
    versions: [],
    pendingCommands: record.outbox.map(({ id, command, issuedAt }) => ({ id, command, issuedAt })),
    lastRefusal: record.lastRefusal,
  };
}

/** Lets the memory transport deliver what is in flight. */
export const settle = (ms = 5) => new Promise((r) => setTimeout(r, ms));
