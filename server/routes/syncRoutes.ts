import type { FastifyInstance } from 'fastify';
import { changesQuerySchema, syncRequestSchema, type SyncResponse } from '../../shared/server-api/sync';
import { defineRoute, type RouteDeps } from '../http/route';
import { readChanges } from '../stories/changes';
import { syncStories } from '../stories/syncStory';
import { loadViewer } from '../stories/viewer';
import { readOnlyGuard } from '../workflow/readOnlyGuard';
import { syncWorkflow } from '../workflow/workflowRoutes';

/** A batch of Yjs updates: generous, a day of offline typing across many stories. */
export const SYNC_BODY_LIMIT = 16 * 1024 * 1024;

export function registerSyncRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoute(app, deps, { method: 'POST', url: '/sync', access: 'user', body: syncRequestSchema, bodyLimit: SYNC_BODY_LIMIT }, async ({ body, auth }) => {
    const viewer = await loadViewer(deps.db, auth);
    // One transaction per story written, one query for the stories only asked about.
    const guard = readOnlyGuard(viewer);
    const stories = await syncStories(deps.db, viewer, body.stories, deps.now(), guard);
    // The review workflow (issue 9): commands, then comment operations, after the text.
    const workflow = await syncWorkflow(deps, viewer, body);
    deps.testFaults?.afterSyncPersist?.();
    return { stories, ...workflow } satisfies SyncResponse;
  });

  defineRoute(app, deps, { method: 'GET', url: '/changes', access: 'user', query: changesQuerySchema }, async ({ query, auth }) =>
    readChanges(deps.db, await loadViewer(deps.db, auth), query.since ?? 0, query.limit ?? 500),
  );
}
