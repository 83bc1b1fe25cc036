import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { STORY_STATUSES } from '../../../shared/domain/story';
import { isListFilter } from '../state/listFilter';
import { useNewsroom } from '../state/newsroomStore';
import { setFilter, setQuery, useStoryList } from '../state/storyListStore';
import { Icon } from '../ui/icons';
import { SearchResults } from './SearchResults';
import { createStory } from './storyActions';
import { WindowedStoryList } from './WindowedStoryList';

export const SEARCH_INPUT_ID = 'story-search-input';

/** The story list: new story, search, status/trash filter, and the rows. */
export function StoryListScreen(): JSX.Element {
  const { t } = useTranslation();
  const query = useStoryList((s) => s.query);
  const filter = useStoryList((s) => s.filter);
  const total = useStoryList((s) => s.total);
  const isRedaktur = useNewsroom((s) => s.account?.user?.role === 'redaktur');
  const searching = query.trim().length > 0;

  return (
    <section className="list-pane" aria-labelledby="list-heading">
      <div className="list-header">
        <div className="list-title">
          <h1 id="list-heading">{filter === 'trash' ? t('list.filterTrash') : t('list.heading')}</h1>
          {total !== null && !searching ? <span className="list-count">{t('list.count', { count: total })}</span> : null}
        </div>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="story-new"
          title={t('list.newHint')}
          onClick={() => void createStory()}
        >
          <Icon name="plus" />
          <span>{t('list.new')}</span>
        </button>
      </div>
      <div className="list-controls">
        <div className="search-box">
          <Icon name="search" size={16} />
          <input
            id={SEARCH_INPUT_ID}
            type="search"
            data-testid="story-search"
            aria-label={t('list.searchLabel')}
            placeholder={t('list.searchPlaceholder')}
            value={query}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && query) {
                e.preventDefault();
                setQuery('');
              }
            }}
          />
        </div>
        <select
          className="filter-select"
          data-testid="story-filter-status"
          aria-label={t('list.filterLabel')}
          value={filter}
          onChange={(e) => {
            if (isListFilter(e.target.value)) setFilter(e.target.value);
          }}
        >
          <option value="all">{t('list.filterAll')}</option>
          {isRedaktur || filter === 'waiting' ? <option value="waiting">{t('list.filterWaiting')}</option> : null}
          {STORY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
          <option value="trash">{t('list.filterTrash')}</option>
        </select>
      </div>
      {searching ? <SearchResults /> : <WindowedStoryList />}
    </section>
  );
}
