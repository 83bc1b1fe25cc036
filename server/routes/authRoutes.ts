import type { FastifyInstance } from 'fastify';
import { loginBodySchema, type LoginBody, type LoginResponse, type MeResponse } from '../../shared/server-api/schemas';
import { toSummary } from '../accounts/users';
import { dummyPasswordHash, verifyPassword } from '../auth/password';
import { createSession, revokeSession } from '../auth/sessions';
import { ApiError } from '../http/apiError';
import { defineRoute, type RouteDeps } from '../http/route';
import type { Role } from '../../shared/server-api/schemas';

export interface AuthRouteOptions {
  sessionTtlMs: number;
  /** Login attempts per (client address, username) and window. */
  loginRateLimit: { max: number; timeWindowMs: number };
  /** Login attempts per client address and window, whatever the usernames. */
  loginRateLimitPerAddress: { max: number; timeWindowMs: number };
}

interface LoginRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: boolean;
}

export function registerAuthRoutes(app: FastifyInstance, deps: RouteDeps, options: AuthRouteOptions): void {
  // Trying many usernames from one address (or just burning scrypt time) meets this limit.
  const perAddress = app.createRateLimit({
    max: options.loginRateLimitPerAddress.max,
    timeWindow: options.loginRateLimitPerAddress.timeWindowMs,
    keyGenerator: (request) => `login-address|${request.ip}`,
  });
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/auth/login',
      access: 'public',
      body: loginBodySchema,
      bodyLimit: 4096,
      guard: async (request, reply) => {
        const limit = await perAddress(request);
        if (limit.isAllowed || !limit.isExceeded) return;
        void reply.header('retry-after', String(limit.ttlInSeconds));
        throw new ApiError(429, 'rate_limited', `too many login attempts from this address: try again in ${limit.ttlInSeconds} s`);
      },
      config: {
        rateLimit: {
          max: options.loginRateLimit.max,
          timeWindow: options.loginRateLimit.timeWindowMs,
          // After validation, so the key can hold the username: guessing one account's
          // password is limited, while a newsroom behind one NAT address can still log in.
          hook: 'preHandler',
          keyGenerator: (request) => `${request.ip}|${(request.body as LoginBody).username}`,
        },
      },
    },
    async ({ body, reply }) => {
      const [row] = await deps.db.query<LoginRow>('SELECT id, username, display_name, role, password_hash, active FROM users WHERE username = $1', [body.username]);
      // An unknown user costs one scrypt too, so timing does not reveal which usernames exist.
      const ok = await verifyPassword(body.password, row?.password_hash ?? (await dummyPasswordHash(deps.passwordCost)));
      if (!row || !ok || !row.active) throw new ApiError(401, 'invalid_credentials', 'wrong username or password, or the account is deactivated');
      const session = await createSession(deps.db, row.id, deps.now(), options.sessionTtlMs);
      void reply.code(201);
      return { token: session.token, expiresAt: session.expiresAt, user: toSummary(row) } satisfies LoginResponse;
    },
  );

  defineRoute(app, deps, { method: 'POST', url: '/auth/logout', access: 'user' }, async ({ auth, reply }) => {
    await revokeSession(deps.db, auth.tokenHash, deps.now());
    return reply.code(204).send();
  });

  defineRoute(app, deps, { method: 'GET', url: '/auth/me', access: 'user' }, async ({ auth }) => {
    const rows = await deps.db.query<{ rubrik_id: string }>('SELECT rubrik_id FROM redaktur_rubrik WHERE user_id = $1 ORDER BY rubrik_id', [auth.user.id]);
    return { user: auth.user, rubrikIds: rows.map((r) => r.rubrik_id), session: { expiresAt: auth.expiresAt } } satisfies MeResponse;
  });
}
