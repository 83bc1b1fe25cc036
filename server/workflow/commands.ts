import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { StoryStatus } from '../../shared/domain/story';
import type { CommandResult, VersionKind, WorkflowCommandRequest } from '../../shared/server-api/workflow';
import { blockingFailureCodes, runChecklist } from '../../shared/workflow/checklist';
import { decideCommand, type WorkflowCommand } from '../../shared/workflow/rules';
import type { Database, Queryable } from '../db/database';
import type { Viewer } from '../stories/permissions';
import { markStoryChanged } from './storyChanged';
import { canSee, loadStoryDoc, readStoryRow, relationOf } from './storyFacts';

/** The version a command keeps of the document, if any: as filed, as edited, as published. */
const VERSION_AT: Partial<Record<WorkflowCommand, VersionKind>> = { submit: 'filed', approve: 'edited', publish: 'published' };

const MESSAGES = {
  forbidden: 'this command is not yours to give on this story (role, ownership or assignment)',
  not_found: 'no such story on the server',
} as const;

/**
 * One workflow command, in one transaction with the story's row locked: a command id applied
 * before answers as it did then and writes nothing; otherwise decideCommand (the shared rules)
 * against the viewer's role, ownership and assignment and the story's status, the blocking
 * checklist on submit, and only then the new status, its history entry, the version it keeps
 * and a new change number. A refusal writes nothing.
 */
export function applyCommand(db: Database, viewer: Viewer, command: WorkflowCommandRequest, now: number): Promise<CommandResult> {
  return db.transaction(async (tx): Promise<CommandResult> => {
    const earlier = await appliedBefore(tx, command.id);
    if (earlier) {
      if (earlier.user_id !== viewer.id || earlier.story_id !== command.storyId) {
        return refusal(command.id, 'forbidden', 'this command id was used for another command', null);
      }
      return { id: command.id, ok: true, status: earlier.to_status };
    }
    const row = await readStoryRow(tx, command.storyId, true);
    if (!row) return refusal(command.id, 'not_found', MESSAGES.not_found, null);
    // A story the viewer cannot see: its status is not theirs to learn either.
    if (!canSee(viewer, row)) return refusal(command.id, 'forbidden', MESSAGES.forbidden, null);

    const decision = decideCommand(command.command, relationOf(viewer, row), row.status);
    if (!decision.ok) {
      const message = decision.reason === 'forbidden' ? MESSAGES.forbidden : `the story is ${row.status}: "${command.command}" does not apply to it now`;
      return refusal(command.id, decision.reason, message, row.status);
    }

    const versionKind = VERSION_AT[command.command];
    const doc = command.command === 'submit' || versionKind ? await loadStoryDoc(tx, row.id) : null;
    try {
      if (command.command === 'submit') {
        const failures = blockingFailureCodes(runChecklist(doc!));
        if (failures.length > 0) {
          return { id: command.id, ok: false, error: { code: 'checklist_failed', message: `the story is not ready to submit: ${failures.join(', ')}`, failures }, status: row.status };
        }
      }
      const at = new Date(now);
      await tx.query('UPDATE stories SET status = $2 WHERE id = $1', [row.id, decision.to]);
      await tx.query(
        `INSERT INTO story_status_history (command_id, story_id, command, from_status, to_status, note, user_id, issued_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [command.id, row.id, command.command, row.status, decision.to, command.note ?? null, viewer.id, new Date(command.issuedAt), at],
      );
      if (versionKind) {
        await tx.query('INSERT INTO story_versions (id, story_id, kind, command_id, state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          randomUUID(),
          row.id,
          versionKind,
          command.id,
          Y.encodeStateAsUpdate(doc!),
          viewer.id,
          at,
        ]);
      }
      await markStoryChanged(db, tx, row, now);
      return { id: command.id, ok: true, status: decision.to };
    } finally {
      doc?.destroy();
    }
  });
}

async function appliedBefore(tx: Queryable, commandId: string) {
  const [row] = await tx.query<{ story_id: string; user_id: string; to_status: StoryStatus }>(
    'SELECT story_id, user_id, to_status FROM story_status_history WHERE command_id = $1',
    [commandId],
  );
  return row;
}

function refusal(id: string, code: 'forbidden' | 'wrong_status' | 'not_found', message: string, status: StoryStatus | null): CommandResult {
  return { id, ok: false, error: { code, message }, status };
}
