import { useEffect, useLayoutEffect, useMemo, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { StorySummary } from '../../../shared/domain/story';
import { RpcError } from '../../../shared/rpc/protocol';
import { storyNotFound } from '../app/routing';
import { CommentsPanel } from '../comments/CommentsPanel';
import { watchReview } from '../comments/reviewFeed';
import { core } from '../core/coreContext';
import { useApp } from '../state/appStore';
import { HistoryPanel } from '../history/HistoryPanel';
import { useStoryList } from '../state/storyListStore';
import { Icon } from '../ui/icons';
import { StatusBadge } from '../ui/StatusBadge';
import { BodyEditor } from './BodyEditor';
import { MetaFields } from './MetaFields';
import { SaveStateIndicator, WordCount } from './StatusIndicators';
import { createStorySession, type StorySession } from './storySession';
import { useLoaded } from './useLoaded';

/** Status badge of the open story, from the list projection (core decides status). */
function OpenStoryStatus({ storyId }: { storyId: string }): JSX.Element | null {
  const fromList = useStoryList((s) => s.rows.find((r) => r?.id === storyId));
  const [fetched, setFetched] = useState<StorySummary | null>(null);
  useEffect(() => {
    if (fromList) return;
    let live = true;
    core()
      .client.services.stories.get({ id: storyId })
      .then((s) => live && setFetched(s))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [storyId, fromList]);
  const story = fromList ?? fetched;
  return story ? <StatusBadge status={story.status} testId="story-status" /> : null;
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

  // The review state (comments, versions) of the open story, kept live by core's reviewChanged.
  useEffect(() => watchReview(core(), storyId), [storyId]);

  const header = useMemo(
    () => (session ? <MetaFields session={session} /> : null),
    [session],
  );

  return (
    <section className="editor-pane" aria-label={t('editor.body')}>
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
        {session ? <HistoryPanel storyId={storyId} doc={session.doc} /> : null}
        <span className="bar-spacer" />
        <WordCount />
        <SaveStateIndicator />
      </div>
      <div className="editor-scroll">
        {failed ? (
          <p className="editor-message is-error" role="alert">
            {t(failed === 'damaged' || listedDamaged ? 'editor.openDamaged' : 'editor.openFailed')}
          </p>
        ) : session ? (
          <div className="editor-columns">
            <article className="paper" data-story-id={storyId}>
              <LoadingNote session={session} />
              <BodyEditor session={session} header={header} />
            </article>
            <CommentsPanel storyId={storyId} />
          </div>
        ) : null}
      </div>
    </section>
  );
}
