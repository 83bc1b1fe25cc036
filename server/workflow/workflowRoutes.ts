import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idSchema } from '../../shared/server-api/schemas';
import type { SyncRequest, SyncResponse } from '../../shared/server-api/sync';
import {
  REVISION_NOTE_MAX,
  reviewsRequestSchema,
  versionsRequestSchema,
  type CommandRefusal,
  type ReviewsResponse,
  type VersionsResponse,
} from '../../shared/server-api/workflow';
import { WORKFLOW_COMMANDS } from '../../shared/workflow/rules';
import { defineRoute, type RouteDeps } from '../http/route';
import type { Viewer } from '../stories/permissions';
import { loadViewer } from '../stories/viewer';
import { applyCommentOp } from './comments';
import { applyCommand } from './commands';
import { readReview, readReviews, readVersion, readVersions } from './review';

/**
 * The workflow part of POST /sync, after the request's story updates (so a submit is checked
 * against the text sent with it): its commands in order, then its comment operations. Each
 * runs in its own transaction and has its own answer.
 */
export async function syncWorkflow(deps: Pick<RouteDeps, 'db' | 'now'>, viewer: Viewer, body: SyncRequest): Promise<Pick<SyncResponse, 'commands' | 'comments'>> {
  const answer: Pick<SyncResponse, 'commands' | 'comments'> = {};
  if (body.commands) {
    answer.commands = [];
    for (const command of body.commands) answer.commands.push(await applyCommand(deps.db, viewer, command, deps.now()));
  }
  if (body.comments) {
    answer.comments = [];
    for (const op of body.comments) answer.comments.push(await applyCommentOp(deps.db, viewer, op, deps.now()));
  }
  return answer;
}

const storyParams = z.object({ id: idSchema }).strict();
const versionParams = z.object({ id: idSchema, versionId: idSchema }).strict();

export function registerWorkflowRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoute(app, deps, { method: 'GET', url: '/stories/:id/review', access: 'user', params: storyParams }, async ({ params, auth }) =>
    readReview(deps.db, await loadViewer(deps.db, auth), params.id),
  );
  // Many reviews in one round trip (core after an exchange); each answered as the GET above would.
  defineRoute(app, deps, { method: 'POST', url: '/reviews', access: 'user', body: reviewsRequestSchema }, async ({ body, auth }): Promise<ReviewsResponse> => ({
    reviews: await readReviews(deps.db, await loadViewer(deps.db, auth), body.ids),
  }));
  defineRoute(app, deps, { method: 'GET', url: '/stories/:id/versions/:versionId', access: 'user', params: versionParams }, async ({ params, auth }) =>
    readVersion(deps.db, await loadViewer(deps.db, auth), params.id, params.versionId),
  );
  // The new versions a batch of reviews named, in one round trip; each answered as the GET above would.
  defineRoute(app, deps, { method: 'POST', url: '/versions', access: 'user', body: versionsRequestSchema }, async ({ body, auth }): Promise<VersionsResponse> => ({
    versions: await readVersions(deps.db, await loadViewer(deps.db, auth), body.versions),
  }));
  registerCommandRoute(app, deps);
}

const commandBody = z
  .object({ id: idSchema, command: z.enum(WORKFLOW_COMMANDS), note: z.string().trim().max(REVISION_NOTE_MAX).optional(), issuedAt: z.number().int().min(0) })
  .strict()
  .refine((c) => c.command !== 'request_revision' || (c.note !== undefined && c.note.length > 0), 'request_revision needs a note');

const STATUS_OF_REFUSAL: Record<CommandRefusal, number> = { forbidden: 403, wrong_status: 409, checklist_failed: 422, not_found: 404 };

/**
 * `POST /stories/:id/commands`: one command outside sync (tools, scripts), decided exactly as
 * in POST /sync. The answer is the CommandResult; a refusal comes with its HTTP status
 * (403 forbidden, 409 wrong status, 422 checklist, 404 unknown story).
 */
export function registerCommandRoute(app: FastifyInstance, deps: RouteDeps): void {
  defineRoute(app, deps, { method: 'POST', url: '/stories/:id/commands', access: 'user', params: storyParams, body: commandBody }, async ({ params, body, auth, reply }) => {
    const result = await applyCommand(deps.db, await loadViewer(deps.db, auth), { ...body, storyId: params.id }, deps.now());
    if (!result.ok) void reply.code(STATUS_OF_REFUSAL[result.error.code]);
    return result;
  });
}
