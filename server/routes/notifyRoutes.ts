import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { NOTIFY_CLOSE, NOTIFY_PATH, type NotifyMessage } from '../../shared/server-api/notify';
import { authenticate, type AuthContext, type RouteDeps } from '../http/route';
import type { NotificationHub, NotifyClient } from '../notify/notificationHub';
import type { Viewer } from '../stories/permissions';
import { readLatestCursor } from '../stories/changes';
import { loadViewer } from '../stories/viewer';

export interface NotifyRouteOptions {
  hub: NotificationHub;
  /** How often the server pings each socket and checks its session again. */
  heartbeatMs: number;
}

/**
 * `GET /notify` upgraded to a WebSocket (protocol in shared/server-api/notify.ts). The
 * upgrade is authenticated before it is accepted (401 JSON otherwise). Every heartbeat the
 * server pings: a socket that did not answer the previous ping is dead and is dropped; and
 * it checks the session again, so an expired or revoked one is closed even if the
 * revocation's notification was missed.
 */
export function registerNotifyRoutes(app: FastifyInstance, deps: RouteDeps, options: NotifyRouteOptions): void {
  const { hub, heartbeatMs } = options;
  app.get(
    NOTIFY_PATH,
    {
      websocket: true,
      onRequest: async (request) => {
        // Stored for the handler; a failure answers the upgrade request with 401 JSON.
        const auth = await authenticate(deps, request);
        accepted.set(request.raw, { auth, viewer: await loadViewer(deps.db, auth) });
      },
    },
    async (socket: WebSocket, request) => {
      const { auth, viewer } = accepted.get(request.raw)!;
      accepted.delete(request.raw);
      const send = (message: NotifyMessage) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      const client: NotifyClient = {
        tokenHash: auth.tokenHash,
        userId: auth.user.id,
        viewer,
        send,
        endSession: (reason) => socket.close(NOTIFY_CLOSE.sessionEnded, reason),
      };
      // Registered before reading the cursor, so a change committed in between is not lost
      // (at worst it is announced twice).
      hub.add(client);
      let alive = true;
      socket.on('pong', () => (alive = true));
      // Clients have nothing to say on this channel; their frames are ignored.
      socket.on('message', () => undefined);
      const heartbeat = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
        void hub.checkSession(client).catch(() => undefined);
      }, heartbeatMs);
      socket.once('close', () => {
        clearInterval(heartbeat);
        hub.remove(client);
      });
      try {
        const latest = await readLatestCursor(deps.db, client.viewer);
        send({ type: 'hello', cursor: latest.cursor, directoryVersion: latest.directoryVersion, heartbeatMs });
      } catch (error) {
        console.error('Ruang Redaksi server: notification socket setup failed:', error);
        socket.close(1011, 'server error');
      }
    },
  );
}

const accepted = new WeakMap<object, { auth: AuthContext; viewer: Viewer }>();
