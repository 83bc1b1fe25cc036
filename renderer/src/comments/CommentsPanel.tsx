import { useMemo, useState, type JSX, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rpcErrorCode } from '../../../shared/rpc/errors';
import { core } from '../core/coreContext';
import { localeOf } from '../i18n/i18n';
import { formatFull, formatUpdated } from '../list/formatTime';
import { useNewsroom } from '../state/newsroomStore';
import {
  activateThread,
  cancelComment,
  replyToThread,
  setThreadResolved,
  startComment,
  submitComment,
  useComments,
} from './commentsStore';
import { useReview } from '../state/reviewStore';
import { buildThreads, nameResolver, type ThreadView } from './threads';

/** Enter sends, Shift+Enter is a new line, Esc cancels (and is not taken as "close the story"). */
function onComposerKey(e: KeyboardEvent<HTMLTextAreaElement>, send: () => void, cancel: () => void): void {
  if (e.nativeEvent.isComposing) return;
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    send();
  } else if (e.key === 'Escape') {
    e.preventDefault();
    cancel();
  }
}

function NewCommentForm({ storyId }: { storyId: string }): JSX.Element | null {
  const { t } = useTranslation();
  const draft = useComments((s) => s.draft);
  const [body, setBody] = useState('');
  if (!draft) return null;
  const send = () => {
    void submitComment(core().client, storyId, body, (error) => t('comments.failed', { code: rpcErrorCode(error) })).then((ok) => {
      if (ok) setBody('');
    });
  };
  const cancel = () => {
    setBody('');
    cancelComment();
  };
  return (
    <form
      className="comment-new"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <blockquote className="comment-quote">{draft.quote}</blockquote>
      {draft.canMark ? null : (
        <p className="comment-note" data-testid="comment-unmarked-note">
          {t('comments.readOnlyNote')}
        </p>
      )}
      <textarea
        data-testid="comment-input"
        aria-label={t('comments.input')}
        placeholder={t('comments.inputPlaceholder')}
        autoFocus
        rows={3}
        maxLength={4000}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => onComposerKey(e, send, cancel)}
      />
      {draft.error ? (
        <p className="comment-error" role="alert">
          {draft.error}
        </p>
      ) : null}
      <div className="comment-form-actions">
        <button type="submit" className="btn btn-small btn-primary" data-testid="comment-submit" disabled={draft.sending || body.trim() === ''}>
          {t('comments.submit')}
        </button>
        <button type="button" className="btn btn-small" data-testid="comment-cancel" onClick={cancel}>
          {t('comments.cancel')}
        </button>
      </div>
    </form>
  );
}

function Thread({ storyId, thread, active }: { storyId: string; thread: ThreadView; active: boolean }): JSX.Element {
  const { t, i18n } = useTranslation();
  const [reply, setReply] = useState('');
  const [replying, setReplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(t('comments.failed', { code: rpcErrorCode(e) }));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const sendReply = () => {
    if (reply.trim() === '' || busy) return;
    void run(() => replyToThread(core().client, storyId, thread.threadId, thread.quote, reply)).then((ok) => {
      if (ok) {
        setReply('');
        setReplying(false);
      }
    });
  };
  const classes = ['comment-thread', active ? 'is-active' : '', thread.resolved ? 'is-resolved' : '', thread.detached ? 'is-detached' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-testid="comment-thread"
      data-thread-id={thread.threadId}
      data-detached={thread.detached}
      data-resolved={thread.resolved}
      data-pending={thread.pending}
      onClick={() => activateThread(thread.threadId)}
    >
      {/* The quote is the keyboard's way to show the passage (the whole thread answers a click too). */}
      <button
        type="button"
        className="comment-quote-button"
        data-testid="comment-show"
        title={t('comments.quoteHint')}
        onClick={(e) => {
          e.stopPropagation();
          activateThread(thread.threadId);
        }}
      >
        <blockquote className="comment-quote">{thread.anchoredText ?? thread.quote}</blockquote>
      </button>
      {thread.detached ? (
        <p className="comment-detached" data-testid="comment-detached">
          {t('comments.detached')}
        </p>
      ) : null}
      <ol className="comment-list">
        {thread.comments.map((c) => (
          <li key={c.id} className="comment-item" data-pending={c.pending}>
            <div className="comment-meta">
              <span className="comment-author">{c.authorName}</span>
              <time dateTime={new Date(c.createdAt).toISOString()} title={formatFull(c.createdAt, localeOf(i18n.language))}>
                {formatUpdated(c.createdAt, localeOf(i18n.language))}
              </time>
              {c.pending ? (
                <span className="comment-pending" data-testid="comment-pending" title={t('comments.pendingHint')}>
                  {t('comments.pending')}
                </span>
              ) : null}
            </div>
            <p className="comment-body">{c.body}</p>
          </li>
        ))}
      </ol>
      {thread.resolved && thread.resolvedByName ? <p className="comment-resolved-by">{t('comments.resolvedBy', { name: thread.resolvedByName })}</p> : null}
      {error ? (
        <p className="comment-error" role="alert">
          {error}
        </p>
      ) : null}
      {/* Clicks in the controls act on the thread, not (also) select it. */}
      <div className="comment-thread-actions" onClick={(e) => e.stopPropagation()}>
        {replying ? (
          <form
            className="comment-reply"
            onSubmit={(e) => {
              e.preventDefault();
              sendReply();
            }}
          >
            <textarea
              data-testid="comment-reply-input"
              aria-label={t('comments.replyInput')}
              autoFocus
              rows={2}
              maxLength={4000}
              value={reply}
              onChange={(e) => setReply(e.target.value)}
              onKeyDown={(e) => onComposerKey(e, sendReply, () => setReplying(false))}
            />
            <div className="comment-form-actions">
              <button type="submit" className="btn btn-small btn-primary" data-testid="comment-reply-submit" disabled={busy || reply.trim() === ''}>
                {t('comments.replySubmit')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setReplying(false)}>
                {t('comments.cancel')}
              </button>
            </div>
          </form>
        ) : (
          <>
            <button type="button" className="btn btn-small btn-ghost" data-testid="comment-reply" onClick={() => setReplying(true)}>
              {t('comments.reply')}
            </button>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              data-testid={thread.resolved ? 'comment-reopen' : 'comment-resolve'}
              disabled={busy}
              onClick={() => void run(() => setThreadResolved(core().client, storyId, thread.threadId, !thread.resolved))}
            >
              {thread.resolved ? t('comments.reopen') : t('comments.resolve')}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

/** Review comments beside the body: add on the selection, threads with replies, resolve and reopen. */
export function CommentsPanel({ storyId }: { storyId: string }): JSX.Element | null {
  const { t } = useTranslation();
  const review = useReview((s) => (s.storyId === storyId ? s.review : null));
  const unavailable = useReview((s) => s.unavailable);
  const anchors = useComments((s) => s.anchors);
  const canComment = useComments((s) => s.canComment);
  const drafting = useComments((s) => s.draft !== null);
  const activeThreadId = useComments((s) => s.activeThreadId);
  const directory = useNewsroom((s) => s.directory);
  const me = useNewsroom((s) => s.account?.user);
  const threads = useMemo(
    () => buildThreads(review, anchors, nameResolver(directory, me, t('comments.unknownAuthor'))),
    [review, anchors, directory, me, t],
  );
  if (unavailable) return null;
  const open = threads.filter((th) => !th.resolved).length;
  return (
    <aside className="comments-panel" aria-label={t('comments.heading')} data-testid="comments-panel">
      <div className="comments-head">
        <h2>{t('comments.heading')}</h2>
        <span className="comments-count">{t('comments.open', { count: open })}</span>
      </div>
      <button
        type="button"
        className="btn btn-small comments-add"
        data-testid="comment-add"
        disabled={!canComment || drafting}
        title={t('comments.addHint')}
        // Keep the selection in the editor: the button must not take focus on mouse down.
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => startComment()}
      >
        {t('comments.add')}
      </button>
      <NewCommentForm storyId={storyId} />
      {threads.length === 0 && !drafting ? <p className="comments-empty">{t('comments.empty')}</p> : null}
      <ul className="comment-threads">
        {threads.map((thread) => (
          <Thread key={thread.threadId} storyId={storyId} thread={thread} active={thread.threadId === activeThreadId} />
        ))}
      </ul>
    </aside>
  );
}
