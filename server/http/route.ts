import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { Role, UserSummary } from '../../shared/server-api/schemas';
import type { ScryptCost } from '../auth/password';
import { lookupSession } from '../auth/sessions';
import type { Database } from '../db/database';
import { ApiError, forbidden } from './apiError';

export interface AuthContext {
  user: UserSummary;
  /** SHA-256 of the bearer token: identifies the current session (logout revokes it). */
  tokenHash: string;
  expiresAt: number;
}

/** Who may call a route: anyone, any logged-in user, or logged-in users with one of these roles. */
export type Access = 'public' | 'user' | readonly Role[];

export interface RouteDeps {
  db: Database;
  now: () => number;
  /** scrypt cost for new password hashes. */
  passwordCost: ScryptCost;
  /** Test-only fault injection (see TestFaults); never set in production. */
  testFaults?: TestFaults;
}

/**
 * Faults a crash test injects into a real server process. main.ts sets them only from the
 * RUANG_TEST_FAULT environment variable, which nothing but tests sets.
 */
export interface TestFaults {
  /** Called after POST /sync persisted every story of the request and before it answers. */
  afterSyncPersist?: () => void;
}

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<A extends Access, B extends Schema, Q extends Schema, P extends Schema> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  access: A;
  body?: B;
  query?: Q;
  params?: P;
  bodyLimit?: number;
  config?: RouteOptions['config'];
  /** Runs first, before authentication and before the body is read (e.g. a per-address limit). */
  guard?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

export interface RouteContext<A extends Access, B extends Schema, Q extends Schema, P extends Schema> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  auth: A extends 'public' ? null : AuthContext;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** No body allowed: absent, or an empty JSON object. */
const NO_BODY = z.object({}).strict().nullable();
/** No query parameters allowed. */
const NO_QUERY = z.object({}).strict();
const NO_PARAMS = z.object({}).strict();

const authByRequest = new WeakMap<FastifyRequest, AuthContext>();

/**
 * Registers one route whose body, query and path parameters are validated by zod schemas
 * (a route that declares none accepts none) and whose caller is authenticated and
 * authorised before the body is even read: 401 without a valid session, 403 for a role
 * the route does not admit.
 */
export function defineRoute<A extends Access, B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
  app: FastifyInstance,
  deps: RouteDeps,
  spec: RouteSpec<A, B, Q, P>,
  handler: (ctx: RouteContext<A, B, Q, P>) => Promise<unknown>,
): void {
  const hasBody = spec.method !== 'GET';
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit,
    config: spec.config,
    schema: {
      ...(hasBody ? { body: spec.body ?? NO_BODY } : {}),
      querystring: spec.query ?? NO_QUERY,
      params: spec.params ?? NO_PARAMS,
    },
    onRequest: async (request, reply) => {
      await spec.guard?.(request, reply);
      if (spec.access === 'public') return;
      const auth = await authenticate(deps, request);
      if (spec.access !== 'user' && !spec.access.includes(auth.user.role)) throw forbidden();
      authByRequest.set(request, auth);
    },
    handler: async (request, reply) => {
      const ctx = {
        body: request.body,
        query: request.query,
        params: request.params,
        auth: authByRequest.get(request) ?? null,
        request,
        reply,
      } as RouteContext<A, B, Q, P>;
      return handler(ctx);
    },
  });
}

export async function authenticate(deps: Pick<RouteDeps, 'db' | 'now'>, request: FastifyRequest): Promise<AuthContext> {
  const header = request.headers.authorization;
  if (!header) throw new ApiError(401, 'unauthenticated', 'log in first: send Authorization: Bearer <token>');
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  if (!match) throw new ApiError(401, 'invalid_token', 'the Authorization header must be "Bearer <token>"');
  const found = await lookupSession(deps.db, match[1]!, deps.now());
  if (!found.ok) {
    const message = { invalid_token: 'unknown token', session_expired: 'the session has expired: log in again', session_revoked: 'the session was ended: log in again' }[found.reason];
    throw new ApiError(401, found.reason, message);
  }
  return { user: found.user, tokenHash: found.tokenHash, expiresAt: found.expiresAt };
}

/** Fastify validates with the zod schemas given in `schema`, replacing each part by its parsed value. */
export function installZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema }) => {
    const zodSchema = schema as z.ZodType;
    return (data: unknown) => {
      const result = zodSchema.safeParse(data);
      return result.success ? { value: result.data } : { error: result.error };
    };
  });
}
