import type { AccountUser, Directory } from '../../../shared/domain/newsroom';
import type { QueueViewer } from '../state/listFilter';

/** What the pickers, byline and list columns read from the cached directory. Pure: no React, no core. */

export interface PickerOption {
  value: string;
  label: string;
}

/** Every rubrik, labelled with its full path (`Ekonomi › Industri › Otomotif`), in the directory's order (depth first). */
export function rubrikOptions(directory: Directory): PickerOption[] {
  return directory.rubrik.map((r) => ({ value: r.id, label: r.path }));
}

/** The ids of a rubrik and all its ancestors (a redaktur of `Ekonomi` edits `Ekonomi › Industri`). */
function rubrikWithAncestors(directory: Directory, rubrikId: string | null): Set<string> {
  const ids = new Set<string>();
  const byId = new Map(directory.rubrik.map((r) => [r.id, r]));
  let current = rubrikId ? byId.get(rubrikId) : undefined;
  while (current && !ids.has(current.id)) {
    ids.add(current.id);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return ids;
}

/**
 * Active redaktur by display name; those who edit the chosen rubrik (or one above it) first.
 * Inactive users stay out of the picker (they still resolve by name in bylines and lists).
 */
export function redakturOptions(directory: Directory, rubrikId: string | null, locale?: string): PickerOption[] {
  const covering = rubrikWithAncestors(directory, rubrikId);
  const edits = (rubrikIds: string[]) => rubrikIds.some((id) => covering.has(id));
  return directory.users
    .filter((u) => u.role === 'redaktur' && u.active)
    .map((u) => ({ u, first: edits(u.rubrikIds) }))
    .sort((a, b) => Number(b.first) - Number(a.first) || a.u.displayName.localeCompare(b.u.displayName, locale))
    .map(({ u }) => ({ value: u.id, label: u.displayName }));
}

/** How many of redakturOptions' entries edit the rubrik (they come first), for grouping. */
export function coveringRedakturCount(directory: Directory, rubrikId: string | null): number {
  const covering = rubrikWithAncestors(directory, rubrikId);
  return directory.users.filter((u) => u.role === 'redaktur' && u.active && u.rubrikIds.some((id) => covering.has(id))).length;
}

export function rubrikPath(directory: Directory, rubrikId: string | null | undefined): string | null {
  if (!rubrikId) return null;
  return directory.rubrik.find((r) => r.id === rubrikId)?.path ?? null;
}

export function userName(directory: Directory, userId: string | null | undefined): string | null {
  if (!userId) return null;
  return directory.users.find((u) => u.id === userId)?.displayName ?? null;
}

/** Byline names in order; an id the directory does not know yet stays as `unknown`, never dropped. */
export function penulisNames(directory: Directory, penulisIds: readonly string[], unknown: string): string[] {
  return penulisIds.map((id) => userName(directory, id) ?? unknown);
}

/** The ids of the given rubrik and every rubrik below them. */
export function rubrikWithDescendants(directory: Directory, rubrikIds: readonly string[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const r of directory.rubrik) if (r.parentId) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const ids = new Set<string>();
  const todo = [...rubrikIds];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (ids.has(id)) continue;
    ids.add(id);
    todo.push(...(children.get(id) ?? []));
  }
  return ids;
}

/**
 * The logged-in user as the "menunggu saya" queue sees them: only a redaktur has one; their
 * rubrik come from the directory (an unknown user still gets the stories addressed to them).
 */
export function queueViewerOf(directory: Directory, user: AccountUser | null): QueueViewer | null {
  if (!user || user.role !== 'redaktur') return null;
  const assigned = directory.users.find((u) => u.id === user.id)?.rubrikIds ?? [];
  return { id: user.id, rubrikIds: rubrikWithDescendants(directory, assigned) };
}
