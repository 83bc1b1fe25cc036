import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { databaseRateLimitStore } from './auth/databaseRateLimitStore';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from './auth/password';
import type { Database } from './db/database';
import { ApiError, installErrorHandling } from './http/apiError';
import { InflatedTooLargeError, zlibWithCappedGunzip } from './http/cappedGunzip';
import { installZodValidation, type TestFaults } from './http/route';
import { registerAdminRoutes } from './routes/adminRoutes';
import { registerAuthRoutes, type AuthRouteOptions } from './routes/authRoutes';
import { NotificationHub } from './notify/notificationHub';
import { registerDirectoryRoutes } from './routes/directoryRoutes';
import { registerNotifyRoutes } from './routes/notifyRoutes';
import { registerSyncRoutes, SYNC_BODY_LIMIT } from './routes/syncRoutes';
import { registerWorkflowRoutes } from './workflow/workflowRoutes';
import { DEFAULT_MAX_PHOTO_BYTES, registerPhotoRoutes } from './photos/photoRoutes';
import { openPhotoStorage, type PhotoStorageConfig } from './photos/photoStorage';

export interface AppOptions {
  db: Database;
  /** Milliseconds since the epoch; tests move it to expire sessions. */
  now?: () => number;
  sessionTtlMs?: number;
  loginRateLimit?: AuthRouteOptions['loginRateLimit'];
  loginRateLimitPerAddress?: AuthRouteOptions['loginRateLimitPerAddress'];
  /** Largest accepted request body; routes may lower it. */
  bodyLimit?: number;
  /** scrypt cost of new password hashes; tests lower it. */
  passwordCost?: ScryptCost;
  /** Test-only fault injection (main.ts: RUANG_TEST_FAULT); never set in production. */
  testFaults?: TestFaults;
  /** How often notification sockets are pinged and their sessions checked again; tests shorten it. */
  notifyHeartbeatMs?: number;
  /** Where photo bytes go (a directory or an S3 bucket); without it the photo routes are absent. */
  photoStorage?: PhotoStorageConfig;
  /** Largest photo file accepted (default 256 MiB; clients hold their own smaller limit). */
  maxPhotoBytes?: number;
}

/** Long enough to cost nothing, short enough that a dead link or an expired session is noticed in well under a minute. */
export const DEFAULT_NOTIFY_HEARTBEAT_MS = 20_000;

/** Sessions last 30 days: a field reporter may stay offline for days and must still sync. */
export const DEFAULT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const DEFAULT_LOGIN_RATE_LIMIT = { max: 10, timeWindowMs: 60_000 };
/** Generous: a whole newsroom may log in through one NAT address at the start of a shift. */
export const DEFAULT_LOGIN_RATE_LIMIT_PER_ADDRESS = { max: 120, timeWindowMs: 60_000 };
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** The newsroom server's HTTP application, not yet listening. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT, return503OnClosing: true });
  installZodValidation(app);
  installErrorHandling(app);
  closeConnectionsWhenStopping(app);
  await app.register(compress, {
    // Responses: br or gzip when the client accepts it (sync answers are JSON with base64
    // Yjs bytes, which shrink well). Brotli at quality 4: close to gzip's speed, smaller;
    // the default (11) costs far too much CPU per request.
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    // Requests: `Content-Encoding: gzip` bodies are inflated before parsing; the route's
    // body limit counts the inflated bytes, so a zip bomb stops at the limit with 413.
    requestEncodings: ['gzip'],
    onUnsupportedRequestEncoding: (encoding) => new ApiError(415, 'unsupported_media_type', `Content-Encoding "${encoding}" is not accepted: send gzip or nothing`),
    // Never inflate past the largest body any route accepts.
    zlib: zlibWithCappedGunzip(Math.max(options.bodyLimit ?? DEFAULT_BODY_LIMIT, SYNC_BODY_LIMIT)),
    onInvalidRequestPayload: (_encoding, _request, error) =>
      error instanceof InflatedTooLargeError ? new ApiError(413, 'body_too_large', error.message) : new ApiError(400, 'invalid_request', 'the body is not valid gzip'),
  });
  const deps = { db: options.db, now: options.now ?? Date.now, passwordCost: options.passwordCost ?? DEFAULT_SCRYPT_COST, testFaults: options.testFaults };
  await app.register(rateLimit, {
    // Only routes that ask for a limit have one (the login routes). Their counters are kept
    // in the database, so they hold across server processes and restarts.
    global: false,
    store: databaseRateLimitStore(options.db, deps.now),
    errorResponseBuilder: (_request, context) => new ApiError(429, 'rate_limited', `too many attempts: try again in ${context.after}`),
  });
  registerAuthRoutes(app, deps, {
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    loginRateLimit: options.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT,
    loginRateLimitPerAddress: options.loginRateLimitPerAddress ?? DEFAULT_LOGIN_RATE_LIMIT_PER_ADDRESS,
  });
  registerAdminRoutes(app, deps);
  registerDirectoryRoutes(app, deps);
  registerSyncRoutes(app, deps);
  registerWorkflowRoutes(app, deps);
  if (options.photoStorage) {
    await registerPhotoRoutes(app, deps, { storage: openPhotoStorage(options.photoStorage), maxPhotoBytes: options.maxPhotoBytes ?? DEFAULT_MAX_PHOTO_BYTES });
  }

  const hub = new NotificationHub({ db: options.db, now: deps.now });
  await hub.start();
  await app.register(websocket, {
    // Clients never need to send anything on the notification channel.
    options: { maxPayload: 1024 },
    preClose: async () => {
      await hub.stop();
      for (const client of app.websocketServer.clients) client.close(1001, 'server stopping');
    },
  });
  registerNotifyRoutes(app, deps, { hub, heartbeatMs: options.notifyHeartbeatMs ?? DEFAULT_NOTIFY_HEARTBEAT_MS });
  return app;
}

/**
 * Node's server.close() ends the keep-alive connections idle at that moment; a connection
 * whose request is still running stays open after its answer, until keepAliveTimeout (72 s in
 * Fastify), and holds close() (and so a SIGTERM drain) that long. Answers begun while the app
 * is closing therefore say `Connection: close` (Node ends the connection with them); one
 * whose headers went out before, but which finishes after, is followed by closing the
 * connections that are idle by then (its own included).
 */
function closeConnectionsWhenStopping(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async () => {
    if (closing) app.server.closeIdleConnections();
  });
}
