import type { Queryable } from '../db/database';

/** Who may see a story, as far as it can change after its creation (its creator never changes). */
export interface StoryAccessMove {
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: string[];
}

/**
 * What one server process tells every other (and itself) after a commit, through the
 * database: PostgreSQL's NOTIFY, which PGlite speaks too. Sent inside the writing
 * transaction, so it is delivered only if and when that transaction commits. Never the
 * data itself: just enough to decide who should sync.
 */
export type ChangeEvent =
  /**
   * A story changed: its new change number and the facts permission checks need.
   * `formerly`: the access facts it had before this change, present only when the change
   * may have taken it from someone's sight (see bumpAccessEpochOnMove), so they are told
   * at once and not at their next poll. Absent in payloads of servers that predate it.
   */
  | { kind: 'story'; seq: number; storyId: string; createdBy: string; rubrikId: string | null; redakturId: string | null; penulisIds: string[]; formerly?: StoryAccessMove }
  /** Users, rubrik or assignments changed (assignments change who sees what). */
  | { kind: 'directory'; version: number }
  /** Some of this user's sessions ended (logout, revocation, deactivation, new password). */
  | { kind: 'sessions'; userId: string };

/**
 * One channel per schema, so test runs sharing a PostgreSQL never hear each other. The
 * name is built in SQL from current_schema() on the writing side and read the same way on
 * the listening side; unquoted and lower case, so LISTEN and pg_notify agree on it.
 */
export const CHANNEL_SQL = "'ruang_changes__' || current_schema()";

export async function publishChange(db: Queryable, event: ChangeEvent): Promise<void> {
  await db.query(`SELECT pg_notify(${CHANNEL_SQL}, $1)`, [JSON.stringify(event)]);
}

/** Parses a notification's payload; anything else on the channel is ignored (null). */
export function parseChangeEvent(payload: string | undefined): ChangeEvent | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<ChangeEvent>;
    if (value.kind === 'story' && typeof value.seq === 'number' && typeof value.storyId === 'string') {
      // A malformed `formerly` must not keep the story's current viewers from hearing of it.
      const { formerly, ...story } = value;
      return (isAccessMove(formerly) ? { ...story, formerly } : story) as ChangeEvent;
    }
    if (value.kind === 'directory' && typeof value.version === 'number') return value as ChangeEvent;
    if (value.kind === 'sessions' && typeof value.userId === 'string') return value as ChangeEvent;
  } catch {
    // Not ours.
  }
  return null;
}

function isAccessMove(value: unknown): value is StoryAccessMove {
  if (typeof value !== 'object' || value === null) return false;
  const facts = value as Partial<Record<keyof StoryAccessMove, unknown>>;
  const idOrNull = (id: unknown) => id === null || typeof id === 'string';
  return idOrNull(facts.rubrikId) && idOrNull(facts.redakturId) && Array.isArray(facts.penulisIds) && facts.penulisIds.every((id) => typeof id === 'string');
}
