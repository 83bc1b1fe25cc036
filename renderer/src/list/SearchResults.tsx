import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { SEARCH_LIMIT, useStoryList } from '../state/storyListStore';
import { StoryRow } from './StoryRow';

/** Search hits with their snippets, in the same `story-list` container as the list (at most 100, not windowed). */
export function SearchResults(): JSX.Element {
  const { t } = useTranslation();
  const results = useStoryList((s) => s.results) ?? [];
  const query = useStoryList((s) => s.query);
  const searching = useStoryList((s) => s.searching);
  return (
    <div className="story-list is-search" data-testid="story-list" role="list" aria-label={t('list.searchLabel')} aria-busy={searching}>
      <p className="list-caption" role="status">
        {searching
          ? t('list.searching')
          : results.length >= SEARCH_LIMIT
            ? t('list.resultsMany', { count: results.length })
            : t('list.results', { count: results.length })}
      </p>
      {!searching && results.length === 0 ? <p className="list-empty">{t('list.noResults', { query: query.trim() })}</p> : null}
      {results.map((hit, i) => (
        <StoryRow key={hit.id} story={hit} position={i + 1} setSize={results.length} />
      ))}
    </div>
  );
}
