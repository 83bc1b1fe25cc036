import type { DocsService } from '../../../shared/rpc/contract';
import type { ServiceHandlers } from '../../../shared/rpc/server';
import type { StoryDocs } from './storyDocs';

/** docs.* for the RPC server: opens and closes belong to the calling client's connection. */
export function createDocsService(docs: StoryDocs): ServiceHandlers<{ docs: DocsService }>['docs'] {
  return {
    async open({ storyId }, caller) {
      return { storyId, state: docs.open(storyId, caller) };
    },
    async push({ storyId, update }) {
      // Persisted when it returns, whether or not it changed anything.
      docs.push(storyId, update);
      return { persisted: true };
    },
    async close({ storyId }, caller) {
      docs.close(storyId, caller);
    },
  };
}
