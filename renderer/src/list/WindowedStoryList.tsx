import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { ensureRows, useStoryList } from '../state/storyListStore';
import { PlaceholderRow, StoryRow } from './StoryRow';

/** Fixed row height (px): lets the list window 10,000 rows without measuring them. Matches .story-row in the CSS. */
export const ROW_HEIGHT = 68;
/** Rows rendered beyond each edge of the view, so a fast scroll rarely shows a blank. */
const OVERSCAN = 8;
/** Until the list's box is measured (the first layout), window as if it were this tall. */
const INITIAL_RECT = { width: 0, height: 800 };

/**
 * The story list (test id `story-list`): only the rows in view (plus a few) are in the
 * DOM, windowed by @tanstack/react-virtual, and pages of rows are fetched from core as
 * they scroll into view.
 */
export function WindowedStoryList(): JSX.Element {
  const { t } = useTranslation();
  const rows = useStoryList((s) => s.rows);
  const total = useStoryList((s) => s.total);
  const filter = useStoryList((s) => s.filter);
  const loadError = useStoryList((s) => s.loadError);
  const ref = useRef<HTMLDivElement>(null);
  const count = total ?? 0;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => ref.current,
    estimateSize: useCallback(() => ROW_HEIGHT, []),
    overscan: OVERSCAN,
    initialRect: INITIAL_RECT,
  });

  // A new filter starts at the top.
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
  }, [filter]);

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (last >= first) ensureRows(first, last);
  }, [first, last, total]);

  let empty: string | null = null;
  if (total === 0) {
    empty =
      filter === 'trash' ? t('list.emptyTrash') : filter === 'all' ? t('list.empty') : filter === 'waiting' ? t('list.emptyWaiting') : t('list.emptyFiltered');
  }

  return (
    <div
      className="story-list"
      data-testid="story-list"
      data-total={total ?? undefined}
      role="list"
      aria-label={t('list.heading')}
      aria-busy={total === null}
      ref={ref}
      tabIndex={-1}
    >
      {total === null ? <p className="list-empty">{loadError ? t('list.actionFailed') : t('list.loading')}</p> : null}
      {empty ? <p className="list-empty">{empty}</p> : null}
      <div className="story-list-spacer" style={{ height: virtualizer.getTotalSize() }}>
        {items.map(({ index, start }) => {
          const story = rows[index];
          const style = { transform: `translateY(${start}px)` };
          return story ? (
            <StoryRow key={story.id} story={story} style={style} position={index + 1} setSize={count} />
          ) : (
            <PlaceholderRow key={`ph-${index}`} style={style} />
          );
        })}
      </div>
    </div>
  );
}
