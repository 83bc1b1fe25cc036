import type { Role } from '../server-api/schemas';
import type { StoryStatus } from '../domain/story';

/**
 * The review workflow's rules (issue 9), written once: the UI shows only the actions these
 * allow and the server enforces exactly the same table.
 *
 *   draft ─submit▶ submitted ─claim▶ in_review ─approve▶ approved ─publish▶ published
 *   in_review ─request_revision▶ revision_requested ─submit▶ submitted
 *   any but published (and spiked) ─spike▶ spiked ─restore▶ draft
 */
export const WORKFLOW_COMMANDS = ['submit', 'claim', 'request_revision', 'approve', 'publish', 'spike', 'restore'] as const;
export type WorkflowCommand = (typeof WORKFLOW_COMMANDS)[number];

/** How the acting user stands to the story (decided from the server's projection). */
export interface StoryRelation {
  role: Role;
  /** Created the story, or is a penulis in its byline. */
  isAuthor: boolean;
  /** The story's redaktur, or edits its rubrik (or a parent of it). */
  isAssignedRedaktur: boolean;
}

const TRANSITIONS: Readonly<Record<WorkflowCommand, { from: readonly StoryStatus[]; to: StoryStatus }>> = {
  submit: { from: ['draft', 'revision_requested'], to: 'submitted' },
  claim: { from: ['submitted'], to: 'in_review' },
  request_revision: { from: ['in_review'], to: 'revision_requested' },
  approve: { from: ['in_review'], to: 'approved' },
  publish: { from: ['approved'], to: 'published' },
  spike: { from: ['draft', 'submitted', 'in_review', 'revision_requested', 'approved'], to: 'spiked' },
  restore: { from: ['spiked'], to: 'draft' },
};

/** Acts as the desk on this story: its assigned redaktur, or an admin. */
function isDesk(r: StoryRelation): boolean {
  return r.role === 'admin' || (r.role === 'redaktur' && r.isAssignedRedaktur);
}

/** Who may run a command, whatever the status (the status is checked by transitionOf). */
function mayRun(command: WorkflowCommand, r: StoryRelation, status: StoryStatus): boolean {
  switch (command) {
    case 'submit':
      return r.isAuthor || r.role === 'admin';
    case 'spike':
      // A reporter may spike their own story while it is still theirs to write.
      return isDesk(r) || (r.isAuthor && (status === 'draft' || status === 'revision_requested'));
    case 'restore':
      return isDesk(r) || r.isAuthor;
    default:
      return isDesk(r);
  }
}

/** The status a command leads to from `status`, or null when the command does not apply to it. */
export function transitionOf(command: WorkflowCommand, status: StoryStatus): StoryStatus | null {
  const t = TRANSITIONS[command];
  return t.from.includes(status) ? t.to : null;
}

export type CommandDecision =
  | { ok: true; to: StoryStatus }
  /** `forbidden`: not this user's to do (HTTP 403); `wrong_status`: not from this status (HTTP 409). */
  | { ok: false; reason: 'forbidden' | 'wrong_status' };

export function decideCommand(command: WorkflowCommand, relation: StoryRelation, status: StoryStatus): CommandDecision {
  const to = transitionOf(command, status);
  if (!mayRun(command, relation, status)) return { ok: false, reason: 'forbidden' };
  if (to === null) return { ok: false, reason: 'wrong_status' };
  return { ok: true, to };
}

/** The commands this user may run on the story now (what the UI shows). */
export function allowedCommands(relation: StoryRelation, status: StoryStatus): WorkflowCommand[] {
  return WORKFLOW_COMMANDS.filter((c) => decideCommand(c, relation, status).ok);
}

/** Why the editor is read-only (`editor-readonly-reason`), or null when this user may edit the text. */
export type ReadOnlyReason = 'with_redaktur' | 'with_penulis' | 'approved' | 'published' | 'spiked' | 'not_yours';

/**
 * Who may edit the text follows the status: the penulis while draft or revision_requested,
 * the desk (assigned redaktur, admin) while submitted or in_review; nobody once approved,
 * published or spiked.
 */
export function editReadOnlyReason(relation: StoryRelation, status: StoryStatus): ReadOnlyReason | null {
  const author = relation.isAuthor;
  const desk = isDesk(relation);
  switch (status) {
    case 'draft':
    case 'revision_requested':
      return author || relation.role === 'admin' ? null : desk ? 'with_penulis' : 'not_yours';
    case 'submitted':
    case 'in_review':
      return desk ? null : author ? 'with_redaktur' : 'not_yours';
    case 'approved':
      return 'approved';
    case 'published':
      return 'published';
    case 'spiked':
      return 'spiked';
  }
}
