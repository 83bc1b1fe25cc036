import type { StoryReview } from '../../../shared/domain/review';
import type { StoryStatus } from '../../../shared/domain/story';
import { RpcError } from '../../../shared/rpc/protocol';
import type { WorkflowService } from '../../../shared/rpc/contract';
import { allowedCommands, decideCommand, editReadOnlyReason, type StoryRelation, type WorkflowCommand } from '../../../shared/workflow/rules';

/** One story's workflow state in the stand-in: what the server last said, and the outbox. */
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

/** The status part of a StoryReview over whatever else (comments, versions) `under` holds. */
function toReview(storyId: string, record: WorkflowRecord, under: StoryReview | null): StoryReview {
  const status = shownStatus(record);
  return {
    comments: [],
    threads: [],
    versions: [],
    editors: [],
    ...under,
    storyId,
    status,
    serverStatus: record.serverStatus,
    revisionNote: record.revisionNote,
    revisionNoteBy: record.revisionNoteBy,
    allowed: allowedCommands(record.relation, status),
    readOnlyReason: editReadOnlyReason(record.relation, status),
    pendingCommands: record.outbox.map(({ id, command, issuedAt }) => ({ id, command, issuedAt })),
    lastRefusal: record.lastRefusal,
  };
}

/**
 * For unit tests: workflow commands as core handles them, cut to what the renderer sees,
 * layered over `base` (another stand-in's workflow service, for comments and versions):
 * the rules in shared/workflow decide at once, an online command is applied, an offline one
 * waits in the outbox with the status shown ahead. Stories without a record go to `base`.
 */
export function standInCommands(base: WorkflowService, broadcast: (storyId: string) => void) {
  const state = {
    stories: new Map<string, WorkflowRecord>(),
    /** Online: a command reaches "the server" at once; offline it waits in the outbox. */
    online: true,
    commandCalls: [] as Array<{ storyId: string; command: WorkflowCommand; note?: string | undefined }>,
    /** workflow.get answers only once this resolves (to order a reply after an event). */
    getGate: null as Promise<void> | null,
  };
  let commandSeq = 0;
  const under = (storyId: string) => base.get({ storyId }).catch(() => null);

  /** "The server" takes the story's outbox: each command applied in turn (the status moves). */
  function deliver(storyId: string): void {
    const record = state.stories.get(storyId)!;
    for (const c of record.outbox.splice(0)) {
      const decision = decideCommand(c.command, record.relation, record.serverStatus);
      if (!decision.ok) continue;
      record.serverStatus = decision.to;
      if (c.command === 'request_revision') {
        record.revisionNote = c.note ?? null;
        record.revisionNoteBy = 'redaktur';
      }
    }
    broadcast(storyId);
  }

  const service: WorkflowService = {
    ...base,
    get: async (input) => {
      const record = state.stories.get(input.storyId);
      if (!record) return base.get(input);
      await state.getGate;
      return toReview(input.storyId, record, await under(input.storyId));
    },
    command: async (input) => {
      const { storyId, command, note } = input;
      state.commandCalls.push({ storyId, command, note });
      const record = state.stories.get(storyId);
      if (!record) return base.command(input);
      const decision = decideCommand(command, record.relation, shownStatus(record));
      if (!decision.ok) throw new RpcError('workflow_refused', `${command}: ${decision.reason}`);
      if (command === 'request_revision' && !note) throw new RpcError('invalid_input', 'request_revision needs a note');
      record.outbox.push({ id: `cmd-${++commandSeq}`, command, issuedAt: Date.now(), ...(note ? { note } : {}) });
      if (state.online) deliver(storyId);
      else broadcast(storyId);
      return toReview(storyId, record, await under(storyId));
    },
    // Comments and resolves are kept by `base`, but its answer knows nothing of the status:
    // for a story in the workflow, answer with the status part too, as core does (an answer
    // saying "draft, editable" for an approved story would unlock its text).
    comment: async (input) => {
      const review = await base.comment(input);
      const record = state.stories.get(input.storyId);
      return record ? toReview(input.storyId, record, review) : review;
    },
    resolve: async (input) => {
      const review = await base.resolve(input);
      const record = state.stories.get(input.storyId);
      return record ? toReview(input.storyId, record, review) : review;
    },
    dismissRefusal: async (input) => {
      const record = state.stories.get(input.storyId);
      if (!record) return base.dismissRefusal(input);
      record.lastRefusal = null;
      return toReview(input.storyId, record, await under(input.storyId));
    },
  };

  return {
    service,
    state,
    /** Puts a story into the workflow (as the server last told core). */
    review(storyId: string, record: Partial<Omit<WorkflowRecord, 'outbox'>> & { relation: StoryRelation }): WorkflowRecord {
      const full: WorkflowRecord = { serverStatus: 'draft', revisionNote: null, revisionNoteBy: null, lastRefusal: null, outbox: [], ...record };
      state.stories.set(storyId, full);
      return full;
    },
    /** Sends every queued command of the story (a sync), emitting reviewChanged. */
    deliver,
    /** The server refused the story's queued commands: they leave the outbox and the refusal is kept to show. */
    refuse(storyId: string, code: string, message: string, failures: string[] = []) {
      const record = state.stories.get(storyId)!;
      const first = record.outbox.splice(0)[0];
      record.lastRefusal = { commandId: first?.id ?? 'cmd-0', command: first?.command ?? 'submit', code, message, failures };
      broadcast(storyId);
    },
  };
}
