import type { DocsService } from '../../../shared/rpc/contract';
import type { StoryDocs } from './storyDocs';

export function createDocsService(docs: StoryDocs): DocsService {
  return {
    async open({ storyId }) {
      return { storyId, state: docs.open(storyId) };
    },
    async push({ storyId, update }) {
      docs.push(storyId, update);
      return { persisted: true };
    },
    async close({ storyId }) {
      docs.close(storyId);
    },
  };
}
