import { useEffect, useLayoutEffect, useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { ensureRows, useStoryList } from '../state/storyListStore';
import { PlaceholderRow, StoryRow } from './StoryRow';
import { visibleRange } from './windowing';

/** Fixed row height (px): lets the list window 10,000 rows by arithmetic. Matches .story-row in the CSS. */
export const ROW_HEIGHT = 68;

/**
 * The story list (test id `story-list`): only the rows in view (plus a few) are in the
 * DOM, and pages of rows are fetched from core as they scroll into view.
 */
export function WindowedStoryList(): JSX.Element {
  const { t } = useTranslation();
  const rows = useStoryList((s) => s.rows);
  const total = useStoryList((s) => s.total);
  const filter = useStoryList((s) => s.filter);
  const loadError = useStoryList((s) => s.loadError);
  const ref = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 800 });
  const frame = useRef<number | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new filter starts at the top.
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
  }, [filter]);

  const count = total ?? 0;
  const { first, last } = visibleRange(viewport.top, viewport.height, ROW_HEIGHT, count);

  useEffect(() => {
    if (last >= first) ensureRows(first, last);
  }, [first, last, total]);

  const onScroll = () => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const el = ref.current;
      if (el) setViewport({ top: el.scrollTop, height: el.clientHeight });
    });
  };

  const items: JSX.Element[] = [];
  for (let i = first; i <= last && i < count; i++) {
    const story = rows[i];
    const style = { transform: `translateY(${i * ROW_HEIGHT}px)` };
    items.push(
      story ? (
        <StoryRow key={story.id} story={story} style={style} position={i + 1} setSize={count} />
      ) : (
        <PlaceholderRow key={`ph-${i}`} style={style} />
      ),
    );
  }

  let empty: string | null = null;
  if (total === 0) empty = filter === 'trash' ? t('list.emptyTrash') : filter === 'all' ? t('list.empty') : t('list.emptyFiltered');

  return (
    <div
      className="story-list"
      data-testid="story-list"
      data-total={total ?? undefined}
      role="list"
      aria-label={t('list.heading')}
      aria-busy={total === null}
      ref={ref}
      onScroll={onScroll}
      tabIndex={-1}
    >
      {total === null ? <p className="list-empty">{loadError ? t('list.actionFailed') : t('list.loading')}</p> : null}
      {empty ? <p className="list-empty">{empty}</p> : null}
      <div className="story-list-spacer" style={{ height: count * ROW_HEIGHT }}>
        {items}
      </div>
    </div>
  );
}
