import { createHash, randomBytes } from 'node:crypto';
import type { Role, UserSummary } from '../../shared/server-api/schemas';
import type { Queryable } from '../db/database';
import { publishChange } from '../notify/changeEvents';

/** Issued tokens start with this, so a leaked one is recognisable in logs and scanners. */
const TOKEN_PREFIX = 'rr_';

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Tokens carry 256 random bits: a fast hash is enough (no salt or stretching needed). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeToken(token: string): boolean {
  return /^rr_[A-Za-z0-9_-]{43}$/.test(token);
}

export async function createSession(db: Queryable, userId: string, now: number, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
  const token = newToken();
  const expiresAt = now + ttlMs;
  await db.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    tokenHash(token),
    userId,
    new Date(now),
    new Date(expiresAt),
  ]);
  return { token, expiresAt };
}

export type SessionLookup =
  | { ok: true; user: UserSummary; tokenHash: string; expiresAt: number }
  | { ok: false; reason: 'invalid_token' | 'session_expired' | 'session_revoked' };

interface SessionRow {
  user_id: string;
  username: string;
  display_name: string;
  role: Role;
  active: boolean;
  expires_at: Date;
  revoked_at: Date | null;
}

/** Finds the session of a bearer token; a deactivated user's sessions count as revoked. */
export async function lookupSession(db: Queryable, token: string, now: number): Promise<SessionLookup> {
  if (!looksLikeToken(token)) return { ok: false, reason: 'invalid_token' };
  return lookupSessionByHash(db, tokenHash(token), now);
}

/** The same by the token's hash: what a long-lived connection keeps to check its session again. */
export async function lookupSessionByHash(db: Queryable, hash: string, now: number): Promise<SessionLookup> {
  const [row] = await db.query<SessionRow>(
    `SELECT s.user_id, u.username, u.display_name, u.role, u.active, s.expires_at, s.revoked_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1`,
    [hash],
  );
  if (!row) return { ok: false, reason: 'invalid_token' };
  if (row.revoked_at !== null || !row.active) return { ok: false, reason: 'session_revoked' };
  if (row.expires_at.getTime() <= now) return { ok: false, reason: 'session_expired' };
  return {
    ok: true,
    tokenHash: hash,
    expiresAt: row.expires_at.getTime(),
    user: { id: row.user_id, username: row.username, displayName: row.display_name, role: row.role },
  };
}

export async function revokeSession(db: Queryable, hash: string, now: number): Promise<void> {
  const rows = await db.query<{ user_id: string }>('UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id', [hash, new Date(now)]);
  // Open notification sockets of this session close at once, in every server process.
  if (rows[0]) await publishChange(db, { kind: 'sessions', userId: rows[0].user_id });
}

/** Ends every live session of a user (but `except`, the caller's own, when given); returns how many. */
export async function revokeUserSessions(db: Queryable, userId: string, now: number, except?: string): Promise<number> {
  const rows = await db.query(
    `UPDATE sessions SET revoked_at = $2
      WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND token_hash <> $3
      RETURNING token_hash`,
    [userId, new Date(now), except ?? ''],
  );
  if (rows.length > 0) await publishChange(db, { kind: 'sessions', userId });
  return rows.length;
}
