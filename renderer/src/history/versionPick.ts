import type { VersionSummary } from '../../../shared/server-api/workflow';

/** The current text of the story, as the later side of a comparison. */
export const NOW = 'now';

/**
 * Choosing what to compare in the history: one version (compared with the current text) or
 * two (the older against the newer). Choosing a third lets go of the one chosen first.
 */
export function togglePick(picked: readonly string[], versionId: string): string[] {
  if (picked.includes(versionId)) return picked.filter((id) => id !== versionId);
  return [...picked, versionId].slice(-2);
}

export interface Comparison {
  from: VersionSummary;
  /** The later version, or NOW. */
  to: VersionSummary | typeof NOW;
}

export function comparisonOf(picked: readonly string[], versions: readonly VersionSummary[]): Comparison | null {
  const chosen = picked.map((id) => versions.find((v) => v.id === id)).filter((v): v is VersionSummary => v !== undefined);
  if (chosen.length === 0) return null;
  if (chosen.length === 1) return { from: chosen[0]!, to: NOW };
  const [a, b] = chosen as [VersionSummary, VersionSummary];
  return a.createdAt <= b.createdAt ? { from: a, to: b } : { from: b, to: a };
}

/** Newest first, as a history reads. */
export function versionsNewestFirst(versions: readonly VersionSummary[]): VersionSummary[] {
  return [...versions].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}
