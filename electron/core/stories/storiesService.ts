import { randomUUID } from 'node:crypto';
import type { StorySearchHit, StorySummary } from '../../../shared/domain/story';
import type { StoriesService } from '../../../shared/rpc/contract';
import { RpcError } from '../../../shared/rpc/protocol';
import { searchTerms, toFtsQuery } from './ftsQuery';
import { makeSnippet } from './snippet';
import type { StoryRepository } from './storyRepository';

/** Page size when the caller gives none: enough for a screenful and then some. */
export const DEFAULT_LIST_LIMIT = 200;
export const DEFAULT_SEARCH_LIMIT = 50;

export interface StoriesServiceDeps {
  stories: StoryRepository;
  now: () => number;
  onStoryChanged: (summary: StorySummary) => void;
}

export function createStoriesService({ stories, now, onStoryChanged }: StoriesServiceDeps): StoriesService {
  function mustGet(id: string): StorySummary {
    const s = stories.summaryById(id);
    if (!s) throw new RpcError('not_found', `No story ${id}`);
    return s;
  }
  function setTrash(id: string, deletedAt: number | null): StorySummary {
    const ref = stories.refById(id);
    if (!ref) throw new RpcError('not_found', `No story ${id}`);
    stories.setDeleted(ref.rowId, deletedAt);
    const summary = mustGet(id);
    onStoryChanged(summary);
    return summary;
  }

  return {
    async create() {
      const summary = stories.insert(randomUUID(), now());
      onStoryChanged(summary);
      return summary;
    },
    async list({ status, trash, limit, offset }) {
      return stories.list({ status, trash, limit: limit ?? DEFAULT_LIST_LIMIT, offset: offset ?? 0 });
    },
    async get({ id }) {
      return mustGet(id);
    },
    async search({ query, status, limit }): Promise<StorySearchHit[]> {
      const match = toFtsQuery(query);
      if (!match) return [];
      const terms = searchTerms(query);
      return stories.search(match, status, limit ?? DEFAULT_SEARCH_LIMIT).map(({ body, ...summary }) => ({
        ...summary,
        snippet: makeSnippet([body, summary.headline], terms),
      }));
    },
    async delete({ id }) {
      const current = mustGet(id);
      if (current.deletedAt === null) setTrash(id, now());
    },
    async restore({ id }) {
      return setTrash(id, null);
    },
  };
}
