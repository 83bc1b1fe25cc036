import type { FastifyInstance } from 'fastify';
import { readDirectory } from '../accounts/directory';
import { defineRoute, type RouteDeps } from '../http/route';

/** Users and the rubrik tree for any logged-in user: clients cache it for offline pickers. */
export function registerDirectoryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoute(app, deps, { method: 'GET', url: '/directory', access: 'user' }, async () => readDirectory(deps.db));
  defineRoute(app, deps, { method: 'GET', url: '/health', access: 'public' }, async () => ({ ok: true }));
}
