import type { Queryable } from '../db/database';

/**
 * Why this exists: the changes feed lists stories whose *change number* is past the client's
 * cursor. Visibility can change without any story changing: a redaktur is given a rubrik
 * (its older stories have numbers below their cursor, so the feed would never list them),
 * or loses one, or a story moves away from someone (its new number is listed only to the
 * people who see it now, so the one who lost it is never told).
 *
 * Design: each user has an *access epoch* (users.access_epoch), given a new value from a
 * sequence whenever their view may have changed in such a way. GET /changes reports it.
 * A client that sees another epoch than the one it saved with its cursor reads the feed
 * once from 0 (everything it may see now), asks about the stories it lacks or that changed
 * past its old cursor, and treats the stories it holds but that are no longer listed as
 * lost from sight; only then it saves the new epoch with its cursor. A crash half way leaves
 * the old epoch saved, so the re-listing simply runs again. Bumping too often only costs a
 * re-listing (projection rows, no documents); bumping too rarely would hide stories, so the
 * rules below err on the side of bumping.
 */
export async function bumpAccessEpoch(tx: Queryable, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx.query("UPDATE users SET access_epoch = nextval('access_epoch_seq') WHERE id = ANY($1::text[])", [[...new Set(userIds)]]);
}

/** The rubrik tree changed shape: every redaktur's set of edited sub-rubrik may have changed. */
export async function bumpAccessEpochOfRedaktur(tx: Queryable): Promise<void> {
  await tx.query("UPDATE users SET access_epoch = nextval('access_epoch_seq') WHERE id IN (SELECT DISTINCT user_id FROM redaktur_rubrik)");
}

export async function readAccessEpoch(db: Queryable, userId: string): Promise<number> {
  const [row] = await db.query<{ access_epoch: string | number }>('SELECT access_epoch FROM users WHERE id = $1', [userId]);
  return Number(row?.access_epoch ?? 0);
}

interface AccessFacts {
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: readonly string[];
}

/** The people a story's change of access facts may have taken it from: its old redaktur, penulis taken out of the byline. */
function usersLosingSight(before: AccessFacts, after: AccessFacts): string[] {
  const losing: string[] = [];
  if (before.redakturId !== null && before.redakturId !== after.redakturId) losing.push(before.redakturId);
  for (const id of before.penulisIds) if (!after.penulisIds.includes(id)) losing.push(id);
  return losing;
}

const rubrikMovedAway = (before: AccessFacts, after: AccessFacts) => before.rubrikId !== null && before.rubrikId !== after.rubrikId;

/**
 * Whether a change of a story's access facts may have taken it from someone's sight: the
 * same rule as bumpAccessEpochOnMove, so whoever gets a new epoch is also notified (the
 * change event then carries the old facts, see ChangeEvent `formerly`). A story only
 * given to more people (a penulis added to the byline, a redaktur set where there was none)
 * takes it from nobody.
 */
export function mayLoseSight(before: AccessFacts, after: AccessFacts): boolean {
  return usersLosingSight(before, after).length > 0 || rubrikMovedAway(before, after);
}

/**
 * A story's access facts changed (called with the row as it was and the new projection, in
 * the writing transaction): whoever may have lost sight of it gets a new epoch. The old
 * redaktur, penulis taken out of the byline, and, when the rubrik changed, every redaktur
 * with a rubrik (which of them edited the old rubrik's branch is not worth computing here).
 */
export async function bumpAccessEpochOnMove(tx: Queryable, before: AccessFacts, after: AccessFacts): Promise<void> {
  await bumpAccessEpoch(tx, usersLosingSight(before, after));
  if (rubrikMovedAway(before, after)) await bumpAccessEpochOfRedaktur(tx);
}
