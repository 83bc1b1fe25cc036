import { useEffect, useLayoutEffect, useMemo, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { StorySummary } from '../../../shared/domain/story';
import { RpcError } from '../../../shared/rpc/protocol';
import { storyNotFound } from '../app/routing';
import { CommentsPanel } from '../comments/CommentsPanel';
import { core } from '../core/coreContext';
import { useApp } from '../state/appStore';
import { HistoryPanel } from '../history/HistoryPanel';
import { useStoryList } from '../state/storyListStore';
import { Icon } from '../ui/icons';
import { isCloseStoryKey, isSubmitShortcut } from '../app/shortcuts';
import { userName } from '../newsroom/directoryView';
import { useNewsroom } from '../state/newsroomStore';
import { editingLocked, openPanel, openReview, useReview } from '../state/reviewStore';
import { BodyEditor } from './BodyEditor';
import { MetaFields } from './MetaFields';
import { PhotoPanelContext } from './photos/photoContext';
import { createPhotoPanel } from './photos/photoPanel';
import { StoryPhotos, storyDropHandlers } from './photos/StoryPhotos';
import { SaveStateIndicator, WordCount } from './StatusIndicators';
import { createStorySession, type StorySession } from './storySession';
import { useLoaded } from './useLoaded';
import { pressSubmit } from './workflow/submitFlow';
import { PendingCommands, RevisionNoteShown, StoryStatusBadge, WorkflowActions, WorkflowNotices, WorkflowPanel } from './workflow/WorkflowControls';

/** Status badge of the open story: core's review state, else the list projection (fetched when the list lacks the row). */
function OpenStoryStatus({ storyId }: { storyId: string }): JSX.Element | null {
  const inList = useStoryList((s) => s.rows.some((r) => r?.id === storyId));
  const [fetched, setFetched] = useState<StorySummary | null>(null);
  useEffect(() => {
    if (inList) return;
    let live = true;
    core()
      .client.services.stories.get({ id: storyId })
      .then((s) => live && setFetched(s))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [storyId, inList]);
  return <StoryStatusBadge storyId={storyId} fallback={fetched?.status ?? null} />;
}

/** Ctrl/Cmd+Enter anywhere in the editor: submit (opens the checklist, then sends). */
function useSubmitShortcut(session: StorySession | null): void {
  useEffect(() => {
    if (!session) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (!isSubmitShortcut(e)) return;
      const target = e.target instanceof Element ? e.target : null;
      // Text boxes other than the story's own fields keep their keys (the revision note sends
      // itself with them, a comment box or the search may have their own use for them).
      const isTextBox = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
      if (isTextBox && !target.classList.contains('meta-input')) return;
      if (target?.closest('[data-workflow-panel="revision"]')) return;
      if (!useReview.getState().review?.allowed.includes('submit')) return;
      // Heard first (capture), so Lexical does not also take it as a line break.
      e.preventDefault();
      e.stopPropagation();
      pressSubmit(session.doc);
    };
    // Esc with the checklist or the revision form open closes that first (from a field the
    // checklist led to, too), not the story: heard before the app's Esc, which then sees it taken.
    const onEscape = (e: KeyboardEvent) => {
      if (!isCloseStoryKey(e) || useReview.getState().panel === null) return;
      e.preventDefault();
      openPanel(null);
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keydown', onEscape, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keydown', onEscape, true);
    };
  }, [session]);
}

function directoryName(userId: string): string | null {
  return userName(useNewsroom.getState().directory, userId);
}

function LoadingNote({ session }: { session: StorySession }): JSX.Element | null {
  const { t } = useTranslation();
  const loaded = useLoaded(session.provider);
  return loaded ? null : (
    <p className="editor-loading" role="status">
      {t('editor.loading')}
    </p>
  );
}

/**
 * One open story. A session (Y.Doc, provider, push queue) lives as long as this screen and
 * is closed (flush, docs.close) when the user leaves. Keyed by story id by the parent.
 */
export default function EditorScreen({ storyId }: { storyId: string }): JSX.Element {
  const { t } = useTranslation();
  const [session, setSession] = useState<StorySession | null>(null);
  const [failed, setFailed] = useState<'damaged' | 'other' | null>(null);
  const listedDamaged = useStoryList((s) => s.rows.find((r) => r?.id === storyId)?.damaged === true);

  // A layout effect: its setSession re-renders synchronously, before the browser paints, so
  // opening a story is one render of the whole editor, not a shell painted frames ahead of
  // a time-sliced mount (which also delayed the stored document by ~20 ms).
  // The review state (workflow, comments, versions) loads alongside the document: editing
  // waits for both (reviewStore), which core's reviewChanged then keeps live.
  useLayoutEffect(() => openReview(storyId), [storyId]);
  useLayoutEffect(() => {
    performance.mark('rr:session-start');
    const s = createStorySession(core(), storyId);
    setSession(s);
    s.opened.catch((error: unknown) => {
      // An address naming a story core does not have: say so and show the list.
      if (error instanceof RpcError && error.code === 'not_found') storyNotFound(storyId);
      // 'story_damaged': core found the stored document unreadable and keeps it as it is.
      else setFailed(error instanceof RpcError && error.code === 'story_damaged' ? 'damaged' : 'other');
    });
    return () => {
      void s.close();
    };
  }, [storyId]);

  // The story's photos: one panel per session, shared by the panel, the featured photo and the body's photos.
  const photoPanel = useMemo(
    () => (session ? createPhotoPanel({ core: core(), storyId, doc: session.doc, loaded: session.opened }) : null),
    [session, storyId],
  );
  useEffect(() => () => photoPanel?.destroy(), [photoPanel]);

  useSubmitShortcut(session);

  const header = useMemo(
    () =>
      session ? (
        <>
          <MetaFields session={session} />
          <StoryPhotos session={session} />
        </>
      ) : null,
    [session],
  );

  return (
    <section className="editor-pane" data-testid="editor-pane" aria-label={t('editor.body')}>
      <div className="editor-bar">
        <button
          type="button"
          className="btn btn-ghost"
          data-testid="editor-back"
          onClick={() => useApp.getState().openStory(null)}
        >
          <Icon name="back" />
          <span>{t('editor.back')}</span>
        </button>
        <OpenStoryStatus storyId={storyId} />
        <PendingCommands />
        {session ? <HistoryPanel storyId={storyId} doc={session.doc} /> : null}
        <span className="bar-spacer" />
        <WordCount />
        <SaveStateIndicator />
      </div>
      {session && !failed ? (
        <div className="editor-workflow">
          <WorkflowActions doc={session.doc} />
          <WorkflowPanel doc={session.doc} />
          <WorkflowNotices />
        </div>
      ) : null}
      <div className="editor-scroll">
        {failed ? (
          <p className="editor-message is-error" role="alert">
            {t(failed === 'damaged' || listedDamaged ? 'editor.openDamaged' : 'editor.openFailed')}
          </p>
        ) : session ? (
          <PhotoPanelContext.Provider value={photoPanel}>
            <div className="editor-columns">
              <article className="paper" data-story-id={storyId} {...storyDropHandlers(photoPanel, () => session.provider.isLoaded && !editingLocked(useReview.getState()))}>
                <LoadingNote session={session} />
                <RevisionNoteShown byName={directoryName} />
                <BodyEditor session={session} header={header} />
              </article>
              <CommentsPanel storyId={storyId} />
            </div>
          </PhotoPanelContext.Provider>
        ) : null}
      </div>
    </section>
  );
}
