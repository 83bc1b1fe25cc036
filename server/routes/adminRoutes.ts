import type { FastifyInstance } from 'fastify';
import {
  createRubrikBodySchema,
  createUserBodySchema,
  listUsersQuerySchema,
  rubrikIdParamsSchema,
  setUserRubrikBodySchema,
  updateRubrikBodySchema,
  updateUserBodySchema,
  userIdParamsSchema,
  type RevokeSessionsResponse,
} from '../../shared/server-api/schemas';
import { createRubrik, deleteRubrik, updateRubrik } from '../accounts/rubrik';
import { createUser, listUsers, setUserRubrik, updateUser } from '../accounts/users';
import { revokeUserSessions } from '../auth/sessions';
import { notFound } from '../http/apiError';
import { defineRoute, type RouteDeps } from '../http/route';

const ADMIN = ['admin'] as const;

/** Users, the rubrik tree and redaktur assignments: admin only. */
export function registerAdminRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db, now, passwordCost } = deps;

  defineRoute(app, deps, { method: 'GET', url: '/admin/users', access: ADMIN, query: listUsersQuerySchema }, async ({ query }) => ({
    users: await listUsers(db, query.includeInactive ?? true),
  }));

  defineRoute(app, deps, { method: 'POST', url: '/admin/users', access: ADMIN, body: createUserBodySchema }, async ({ body, reply }) => {
    const user = await createUser(db, body, now(), passwordCost);
    void reply.code(201);
    return user;
  });

  defineRoute(
    app,
    deps,
    { method: 'PATCH', url: '/admin/users/:id', access: ADMIN, params: userIdParamsSchema, body: updateUserBodySchema },
    async ({ params, body, auth }) => updateUser(db, params.id, body, now(), auth.tokenHash, passwordCost),
  );

  defineRoute(
    app,
    deps,
    { method: 'PUT', url: '/admin/users/:id/rubrik', access: ADMIN, params: userIdParamsSchema, body: setUserRubrikBodySchema },
    async ({ params, body }) => setUserRubrik(db, params.id, body.rubrikIds),
  );

  /** A lost laptop: every session of the user ends, so it stops syncing at its next connect. */
  defineRoute(app, deps, { method: 'POST', url: '/admin/users/:id/revoke-sessions', access: ADMIN, params: userIdParamsSchema }, async ({ params }) => {
    const [user] = await db.query('SELECT 1 FROM users WHERE id = $1', [params.id]);
    if (!user) throw notFound('user');
    return { revoked: await revokeUserSessions(db, params.id, now()) } satisfies RevokeSessionsResponse;
  });

  defineRoute(app, deps, { method: 'POST', url: '/admin/rubrik', access: ADMIN, body: createRubrikBodySchema }, async ({ body, reply }) => {
    const rubrik = await createRubrik(db, body, now());
    void reply.code(201);
    return rubrik;
  });

  defineRoute(
    app,
    deps,
    { method: 'PATCH', url: '/admin/rubrik/:id', access: ADMIN, params: rubrikIdParamsSchema, body: updateRubrikBodySchema },
    async ({ params, body }) => updateRubrik(db, params.id, body, now()),
  );

  defineRoute(app, deps, { method: 'DELETE', url: '/admin/rubrik/:id', access: ADMIN, params: rubrikIdParamsSchema }, async ({ params, reply }) => {
    await deleteRubrik(db, params.id);
    return reply.code(204).send();
  });
}
