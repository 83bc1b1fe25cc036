import { useEffect, useMemo, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { StorySummary } from '../../../shared/domain/story';
import { RpcError } from '../../../shared/rpc/protocol';
import { core, whenConnected } from '../core/coreContext';
import { useApp } from '../state/appStore';
import { useStoryList } from '../state/storyListStore';
import { Icon } from '../ui/icons';
import { StatusBadge } from '../ui/StatusBadge';
import { BodyEditor } from './BodyEditor';
import { MetaFields } from './MetaFields';
import { SaveStateIndicator, WordCount } from './StatusIndicators';
import { openStorySession, type StorySession } from './storySession';

type Load = { kind: 'loading' } | { kind: 'ready'; session: StorySession } | { kind: 'failed' };

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

/**
 * One open story. Opens a session (docs.open → Y.Doc → push queue) for its lifetime and
 * closes it (flush, docs.close) when the user leaves. Keyed by story id by the parent.
 */
export default function EditorScreen({ storyId }: { storyId: string }): JSX.Element {
  const { t } = useTranslation();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    let session: StorySession | null = null;
    // The editor may mount before core is reachable (a reload with ?story=): wait for the
    // connection and try again whenever the link drops during the open.
    const open = async (): Promise<StorySession> => {
      for (;;) {
        await whenConnected();
        try {
          return await openStorySession(core(), storyId);
        } catch (error) {
          if (!(error instanceof RpcError && error.code === 'transport_closed') || !live) throw error;
        }
      }
    };
    open().then(
      (s) => {
        session = s;
        if (live) setLoad({ kind: 'ready', session: s });
        else void s.close();
      },
      () => live && setLoad({ kind: 'failed' }),
    );
    return () => {
      live = false;
      void session?.close();
    };
  }, [storyId]);

  const session = load.kind === 'ready' ? load.session : null;
  // A new, empty story starts at the headline; an existing one does not steal focus.
  const header = useMemo(
    () => (session ? <MetaFields doc={session.doc} autoFocusHeadline={false} /> : null),
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
        <span className="bar-spacer" />
        <WordCount />
        <SaveStateIndicator />
      </div>
      <div className="editor-scroll">
        {load.kind === 'loading' ? <p className="editor-message">{t('editor.loading')}</p> : null}
        {load.kind === 'failed' ? (
          <p className="editor-message is-error" role="alert">
            {t('editor.openFailed')}
          </p>
        ) : null}
        {session ? (
          <article className="paper" data-story-id={storyId}>
            <BodyEditor session={session} header={header} />
          </article>
        ) : null}
      </div>
    </section>
  );
}
