import { memo, type CSSProperties, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { StorySearchHit, StorySummary } from '../../../shared/domain/story';
import { preopenDoc } from '../core/docPrefetch';
import { localeOf } from '../i18n/i18n';
import { rubrikPath, userName } from '../newsroom/directoryView';
import { useApp } from '../state/appStore';
import { useNewsroom } from '../state/newsroomStore';
import { inQueue } from '../state/listFilter';
import { queueViewer, useStoryList } from '../state/storyListStore';
import { Icon } from '../ui/icons';
import { StatusBadge } from '../ui/StatusBadge';
import { formatFull, formatUpdated } from './formatTime';
import { snippetParts } from './snippet';
import { moveToTrash, restoreStory } from './storyActions';

interface Props {
  story: StorySummary | StorySearchHit;
  style?: CSSProperties;
  position?: number;
  setSize?: number;
}

/** One story in the list (test id `story-item`, with data-story-id, data-status and data-queue when it waits for me; its badge `story-status`). Opening is the whole row; trash/restore is the button at the end. */
export const StoryRow = memo(function StoryRow({ story, style, position, setSize }: Props): JSX.Element {
  const { t, i18n } = useTranslation();
  const isOpen = useApp((s) => s.openStoryId === story.id);
  const locale = localeOf(i18n.language);
  const title = story.headline.trim();
  const inTrash = story.deletedAt !== null;
  const snippet = 'snippet' in story ? story.snippet : null;
  const rubrik = useNewsroom((s) => rubrikPath(s.directory, story.rubrikId));
  const redaktur = useNewsroom((s) => userName(s.directory, story.redakturId));
  const unknown = t('assign.unknown');
  const waitsForMe = useNewsroom((s) => inQueue(story, queueViewer(s)));

  return (
    <div
      className={`story-row${isOpen ? ' is-open' : ''}${snippet ? ' has-snippet' : ''}`}
      style={style}
      role="listitem"
      aria-posinset={position}
      aria-setsize={setSize}
      data-testid="story-item"
      data-story-id={story.id}
      data-status={story.status}
      data-pending-status={story.pendingStatus}
      data-queue={waitsForMe ? 'true' : undefined}
      data-damaged={story.damaged ? 'true' : undefined}
      data-sync-state={story.syncState}
    >
      <button
        type="button"
        className="row-main"
        aria-current={isOpen ? 'true' : undefined}
        onPointerDown={(e) => {
          if (e.button === 0 && !inTrash && !isOpen) preopenDoc(story.id);
        }}
        onClick={() => {
          if (inTrash || isOpen) return;
          preopenDoc(story.id);
          useApp.getState().openStory(story.id);
        }}
        disabled={inTrash}
      >
        <span className={`row-headline${title ? '' : ' is-untitled'}`}>{title || t('list.untitled')}</span>
        <span className="row-meta">
          <StatusBadge status={story.pendingStatus ?? story.status} testId="story-status" />
          {story.pendingStatus ? (
            <span className="pending-badge" data-testid="story-status-pending" title={t('list.statusPendingHint')}>
              {t('list.statusPending')}
            </span>
          ) : null}
          {waitsForMe ? (
            <span className="queue-badge" data-testid="story-queue" title={t('list.queueHint')}>
              {t('list.queueBadge')}
            </span>
          ) : null}
          <span
            className={`sync-badge sync-${story.syncState === 'pending' ? 'pending-state' : story.syncState}`}
            data-testid="story-sync"
            data-state={story.syncState}
            title={t(`list.syncHint.${story.syncState}`)}
          >
            {t(`list.sync.${story.syncState}`)}
          </span>
          {story.rubrikId ? (
            <span className="row-rubrik" data-testid="story-rubrik">
              {rubrik ?? unknown}
            </span>
          ) : null}
          {story.redakturId ? (
            <span className="row-redaktur" data-testid="story-redaktur">
              {t('list.redakturLabel', { name: redaktur ?? unknown })}
            </span>
          ) : null}
          {story.damaged ? (
            <span className="damaged-badge" data-testid="story-damaged" title={t('list.damagedHint')}>
              {t('list.damaged')}
            </span>
          ) : null}
          <span className="row-words">{t('list.words', { count: story.wordCount })}</span>
          <span className="row-dot" aria-hidden="true">
            ·
          </span>
          <time dateTime={new Date(story.updatedAt).toISOString()} title={formatFull(story.updatedAt, locale)}>
            {t('list.updated', { time: formatUpdated(story.updatedAt, locale) })}
          </time>
        </span>
        {snippet ? (
          <span className="row-snippet">
            {snippetParts(snippet).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
          </span>
        ) : null}
      </button>
      {story.conflictOf && !inTrash ? <ConflictOriginLink originalId={story.conflictOf} /> : null}
      {inTrash ? (
        <button
          type="button"
          className="row-action restore"
          data-testid="story-restore"
          aria-label={t('list.restoreNamed', { title: title || t('list.untitled') })}
          title={t('list.restore')}
          onClick={() => void restoreStory(story.id)}
        >
          <Icon name="restore" />
          <span>{t('list.restore')}</span>
        </button>
      ) : (
        <button
          type="button"
          className="row-action icon-only"
          data-testid="story-delete"
          aria-label={t('list.deleteNamed', { title: title || t('list.untitled') })}
          title={t('list.delete')}
          onClick={() => void moveToTrash(story)}
        >
          <Icon name="trash" />
        </button>
      )}
    </div>
  );
});

/** A conflict copy ("salinan konflik") leads to the story whose refused edits it holds. */
function ConflictOriginLink({ originalId }: { originalId: string }): JSX.Element {
  const { t } = useTranslation();
  const original = useStoryList((s) => s.rows.find((r) => r?.id === originalId));
  const title = original?.headline.trim() || t('list.untitled');
  return (
    <button
      type="button"
      className="row-action conflict-link"
      data-testid="story-conflict-of"
      data-original-id={originalId}
      aria-label={t('list.openOriginal', { title })}
      title={t('list.openOriginal', { title })}
      onClick={() => useApp.getState().openStory(originalId)}
    >
      {t('list.conflictOf', { title })}
    </button>
  );
}

export function PlaceholderRow({ style }: { style: CSSProperties }): JSX.Element {
  return (
    <div className="story-row is-placeholder" style={style} aria-hidden="true">
      <span className="ph-line wide" />
      <span className="ph-line" />
    </div>
  );
}
