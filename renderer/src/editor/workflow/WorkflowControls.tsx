import { useEffect, useId, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import type { StoryReview } from '../../../../shared/domain/review';
import type { StoryStatus } from '../../../../shared/domain/story';
import { WORKFLOW_COMMANDS, type WorkflowCommand } from '../../../../shared/workflow/rules';
import { clearCommandError, dismissRefusal, giveCommand, openPanel, useReview } from '../../state/reviewStore';
import { useStoryList } from '../../state/storyListStore';
import { Icon } from '../../ui/icons';
import { StatusBadge } from '../../ui/StatusBadge';
import { actionTestId, actionTone, failureRule } from './checklistView';
import { pressSubmit } from './submitFlow';
import { SubmitChecklist } from './SubmitChecklist';
import { useChecklist } from './useChecklist';

/** A stable empty list: a zustand selector must not return a new array each call. */
const NO_COMMANDS: readonly WorkflowCommand[] = [];
const NO_PENDING: StoryReview['pendingCommands'] = [];

/** The open story's status (`story-status`): core's review state, else the list's projection. */
export function StoryStatusBadge({ storyId, fallback }: { storyId: string; fallback: StoryStatus | null }): JSX.Element | null {
  const fromReview = useReview((s) => (s.review?.storyId === storyId ? s.review.status : null));
  const fromList = useStoryList((s) => s.rows.find((r) => r?.id === storyId)?.status ?? null);
  const status = fromReview ?? fromList ?? fallback;
  return status ? <StatusBadge status={status} testId="story-status" /> : null;
}

/** Commands given here and not yet sent (offline): "menunggu dikirim". */
export function PendingCommands(): JSX.Element | null {
  const { t } = useTranslation();
  const pending = useReview((s) => s.review?.pendingCommands ?? NO_PENDING);
  if (pending.length === 0) return null;
  return (
    <span className="workflow-pending" data-testid="workflow-pending" data-count={pending.length} title={t('workflow.pendingHint')} role="status">
      <Icon name="cloud" size={15} />
      <span>{pending.map((c) => t('workflow.pendingCommand', { action: t(`workflow.action.${c.command}`) })).join(' · ')}</span>
    </span>
  );
}

function SubmitWhileChecking({ doc, busy }: { doc: Y.Doc; busy: boolean }): JSX.Element {
  const { t } = useTranslation();
  const passes = useChecklist(doc).blocking.length === 0;
  return (
    <button
      type="button"
      className="btn btn-primary btn-small"
      data-testid={actionTestId('submit')}
      disabled={busy || !passes}
      aria-disabled={busy || !passes}
      title={passes ? t('workflow.submitHint') : t('workflow.checklist.blocked')}
      onClick={() => pressSubmit(doc)}
    >
      {t('workflow.submitNow')}
    </button>
  );
}

/** The workflow actions this user may take now (`action-*`), exactly those core allows. */
export function WorkflowActions({ doc }: { doc: Y.Doc }): JSX.Element | null {
  const { t } = useTranslation();
  const allowed = useReview((s) => s.review?.allowed);
  const sending = useReview((s) => s.sending);
  const panel = useReview((s) => s.panel);
  if (!allowed || allowed.length === 0) return null;
  const busy = sending !== null;
  const run = (command: WorkflowCommand) => {
    if (command === 'submit') pressSubmit(doc);
    else if (command === 'request_revision') openPanel(panel === 'revision' ? null : 'revision');
    else void giveCommand(command);
  };
  return (
    <div className="workflow-actions" role="group" aria-label={t('workflow.label')}>
      {WORKFLOW_COMMANDS.filter((c) => allowed.includes(c)).map((command) =>
        command === 'submit' && panel === 'checklist' ? (
          <SubmitWhileChecking key={command} doc={doc} busy={busy} />
        ) : (
          <button
            key={command}
            type="button"
            className={`btn btn-small action-${actionTone(command)}${actionTone(command) === 'primary' ? ' btn-primary' : ''}`}
            data-testid={actionTestId(command)}
            disabled={busy}
            aria-expanded={command === 'request_revision' ? panel === 'revision' : command === 'submit' ? panel === 'checklist' : undefined}
            title={command === 'submit' ? t('workflow.submitHint') : undefined}
            onClick={() => run(command)}
          >
            {t(`workflow.action.${command}`)}
          </button>
        ),
      )}
    </div>
  );
}

/** The redaktur's note for a revision request (`revision-note`, required) and its send button (`revision-submit`). */
function RevisionForm(): JSX.Element {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const sending = useReview((s) => s.sending === 'request_revision');
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const hintId = useId();
  useEffect(() => ref.current?.focus(), []);
  const empty = note.trim() === '';
  const send = () => {
    if (!empty && !sending) void giveCommand('request_revision', note.trim());
  };
  // Ctrl/Cmd+Enter sends (Esc closes the form: see the editor's keys).
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    }
  };
  return (
    <div className="workflow-panel revision-form" data-workflow-panel="revision" onKeyDown={onKeyDown}>
      <label htmlFor={id}>{t('workflow.revision.label')}</label>
      <textarea
        id={id}
        ref={ref}
        data-testid="revision-note"
        className="meta-input"
        rows={3}
        maxLength={4000}
        placeholder={t('workflow.revision.placeholder')}
        aria-required="true"
        aria-describedby={hintId}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <p id={hintId} className={`field-hint${empty ? '' : ' is-hidden'}`}>
        {t('workflow.revision.required')}
      </p>
      <div className="panel-buttons">
        <button type="button" className="btn btn-small" onClick={() => openPanel(null)}>
          {t('workflow.revision.cancel')}
        </button>
        <button type="button" className="btn btn-primary btn-small" data-testid="revision-submit" disabled={empty || sending} onClick={send}>
          {t('workflow.revision.submit')}
        </button>
      </div>
    </div>
  );
}

/** What opens under the bar: the checklist or the revision form. */
export function WorkflowPanel({ doc }: { doc: Y.Doc }): JSX.Element | null {
  const panel = useReview((s) => s.panel);
  const allowed = useReview((s) => s.review?.allowed ?? NO_COMMANDS);
  if (panel === 'checklist' && allowed.includes('submit')) return <SubmitChecklist doc={doc} />;
  if (panel === 'revision' && allowed.includes('request_revision')) return <RevisionForm />;
  return null;
}

/** The server refused a command given earlier (it went while offline): why, until the user dismisses it. */
function RefusalNotice(): JSX.Element | null {
  const { t } = useTranslation();
  const refusal = useReview((s) => s.review?.lastRefusal ?? null);
  if (!refusal) return null;
  const known = ['forbidden', 'wrong_status', 'checklist_failed', 'not_found'].includes(refusal.code);
  const failures = [...new Set(refusal.failures.map(failureRule))].map((rule) =>
    t(`workflow.checklist.failure.${rule}`, { defaultValue: rule }),
  );
  return (
    <div className="workflow-notice is-error" data-testid="workflow-refusal" data-code={refusal.code} data-command={refusal.command} role="alert">
      <Icon name="alert" size={16} />
      <div className="notice-text">
        <strong>{t('workflow.refused.title', { action: t(`workflow.action.${refusal.command}`) })}</strong>{' '}
        <span>{t(`workflow.refused.${known ? refusal.code : 'other'}`)}</span>
        {failures.length > 0 ? <span> {t('workflow.refused.failures', { list: failures.join(', ') })}</span> : null}
        {!known && refusal.message ? <span className="notice-detail"> ({refusal.message})</span> : null}
      </div>
      <button type="button" className="btn btn-small" data-testid="workflow-refusal-dismiss" onClick={() => void dismissRefusal()}>
        {t('workflow.refused.dismiss')}
      </button>
    </div>
  );
}

/** Core refused a command at once (its rules say no for what this profile knows). */
function CommandErrorNotice(): JSX.Element | null {
  const { t } = useTranslation();
  const error = useReview((s) => s.commandError);
  if (!error) return null;
  const key = error.code === 'workflow_refused' || error.code === 'invalid_input' ? error.code : 'other';
  return (
    <div className="workflow-notice is-error" data-testid="workflow-error" data-code={error.code} role="alert">
      <Icon name="alert" size={16} />
      <div className="notice-text">{t(`workflow.failed.${key}`, { action: t(`workflow.action.${error.command}`) })}</div>
      <button type="button" className="btn btn-ghost btn-small icon-only" aria-label={t('list.dismiss')} onClick={clearCommandError}>
        <Icon name="close" size={15} />
      </button>
    </div>
  );
}

/** Why the text cannot be edited now (`editor-readonly-reason`), in words. */
function ReadOnlyNotice(): JSX.Element | null {
  const { t } = useTranslation();
  const reason = useReview((s) => s.review?.readOnlyReason ?? null);
  if (!reason) return null;
  return (
    <div className="workflow-notice is-locked" data-testid="editor-readonly-reason" data-reason={reason} role="status">
      <Icon name="doc" size={16} />
      <div className="notice-text">{t(`workflow.readOnly.${reason}`)}</div>
    </div>
  );
}

export function WorkflowNotices(): JSX.Element {
  return (
    <>
      <RefusalNotice />
      <CommandErrorNotice />
      <ReadOnlyNotice />
    </>
  );
}

/** The redaktur's revision note at the top of the story while it is sent back (`revision-note-shown`). */
export function RevisionNoteShown({ byName }: { byName: (userId: string) => string | null }): JSX.Element | null {
  const { t } = useTranslation();
  const review = useReview((s) => s.review);
  if (!review || review.status !== 'revision_requested' || !review.revisionNote) return null;
  const name = review.revisionNoteBy ? byName(review.revisionNoteBy) : null;
  return (
    <aside className="revision-note-shown" data-testid="revision-note-shown" aria-label={t('workflow.revision.shownTitle')}>
      <p className="revision-note-title">{name ? t('workflow.revision.shownBy', { name }) : t('workflow.revision.shownTitle')}</p>
      <p className="revision-note-text">{review.revisionNote}</p>
    </aside>
  );
}
