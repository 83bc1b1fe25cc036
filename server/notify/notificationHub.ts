import type { NotifyMessage } from '../../shared/server-api/notify';
import { lookupSessionByHash, type SessionLookup } from '../auth/sessions';
import type { Database } from '../db/database';
import { canAccessStory, type Viewer } from '../stories/permissions';
import { loadViewer } from '../stories/viewer';
import { parseChangeEvent, type ChangeEvent } from './changeEvents';

/** One open notification socket, as the hub sees it. */
export interface NotifyClient {
  readonly tokenHash: string;
  readonly userId: string;
  /** Who the client is for permission checks; refreshed when the directory changes. */
  viewer: Viewer;
  send(message: NotifyMessage): void;
  /** Closes the socket because its session ended. */
  endSession(reason: Exclude<SessionLookup, { ok: true }>['reason']): void;
}

export interface HubOptions {
  db: Database;
  now: () => number;
  /** Changes arriving this close together reach a client as one message (the newest cursor). */
  coalesceMs?: number;
}

/**
 * The notifications of one server process: hears every change committed by any process
 * sharing the database (Database.listen) and tells each of its own open sockets the ones
 * its user may see. Holds nothing another process would need: scale-out is the
 * database's NOTIFY.
 */
export class NotificationHub {
  private readonly clients = new Set<NotifyClient>();
  private readonly pending = new Map<NotifyClient, { cursor: number; timer: NodeJS.Timeout }>();
  private unlisten: (() => Promise<void>) | null = null;
  /** Events in delivery order (see dispatch). */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: HubOptions) {}

  async start(): Promise<void> {
    this.unlisten = await this.options.db.listen(
      (payload) => {
        const event = parseChangeEvent(payload);
        if (event) this.dispatch(event);
      },
      () => this.broadcast({ type: 'resync' }),
    );
  }

  async stop(): Promise<void> {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    const unlisten = this.unlisten;
    this.unlisten = null;
    await unlisten?.();
  }

  get size(): number {
    return this.clients.size;
  }

  add(client: NotifyClient): void {
    this.clients.add(client);
  }

  remove(client: NotifyClient): void {
    this.clients.delete(client);
    const queued = this.pending.get(client);
    if (queued) clearTimeout(queued.timer);
    this.pending.delete(client);
  }

  /** Checks a client's session again; closes its socket and forgets it when the session has ended. Returns whether it lives. */
  async checkSession(client: NotifyClient): Promise<boolean> {
    await this.recheckClients([client], false);
    return this.clients.has(client);
  }

  /**
   * Events are handled one at a time, in the order the database delivered them: after an
   * assignment change, later story changes are checked against the re-read viewers.
   */
  private dispatch(event: ChangeEvent): void {
    this.chain = this.chain
      .then(() => this.handle(event))
      .catch((error: unknown) => console.error('Ruang Redaksi server: handling a change notification failed:', error));
  }

  private async handle(event: ChangeEvent): Promise<void> {
    if (event.kind === 'story') {
      for (const client of this.clients) if (sawOrSees(client.viewer, event)) this.queueChanged(client, event.seq);
    } else if (event.kind === 'sessions') {
      await this.recheckClients([...this.clients].filter((c) => c.userId === event.userId), false);
    } else {
      // Roles and rubrik assignments may have moved: re-read every client's session and viewer.
      await this.recheckClients([...this.clients], true);
      this.broadcast({ type: 'directory', directoryVersion: event.version });
    }
  }

  private async recheckClients(clients: NotifyClient[], reloadViewers: boolean): Promise<void> {
    for (const client of clients) {
      if (!this.clients.has(client)) continue;
      const found = await lookupSessionByHash(this.options.db, client.tokenHash, this.options.now());
      if (!found.ok) {
        this.remove(client);
        client.endSession(found.reason);
      } else if (reloadViewers) {
        client.viewer = await loadViewer(this.options.db, { user: found.user, tokenHash: found.tokenHash, expiresAt: found.expiresAt });
      }
    }
  }

  private queueChanged(client: NotifyClient, cursor: number): void {
    const queued = this.pending.get(client);
    if (queued) {
      queued.cursor = Math.max(queued.cursor, cursor);
      return;
    }
    const timer = setTimeout(() => {
      const entry = this.pending.get(client);
      this.pending.delete(client);
      if (entry && this.clients.has(client)) client.send({ type: 'changed', cursor: entry.cursor });
    }, this.options.coalesceMs ?? 20);
    this.pending.set(client, { cursor, timer });
  }

  private broadcast(message: NotifyMessage): void {
    for (const client of this.clients) client.send(message);
  }
}

/**
 * Whether a story change concerns this viewer: they may see the story now, or could before
 * this change took it from them (its redaktur changed, it moved to another rubrik, they were
 * taken out of the byline). The latter are told at once too: their next GET /changes reports
 * a new access epoch, and their client drops the story without waiting for its poll.
 */
function sawOrSees(viewer: Viewer, event: Extract<ChangeEvent, { kind: 'story' }>): boolean {
  if (canAccessStory(viewer, event)) return true;
  return event.formerly !== undefined && canAccessStory(viewer, { createdBy: event.createdBy, ...event.formerly });
}
