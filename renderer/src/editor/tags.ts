/** Longest tag kept; longer input is cut (a tag is a keyword, not a sentence). */
export const MAX_TAG_LENGTH = 60;

/**
 * Comma-separated tag input → the string[] stored in meta 'tags': trimmed, inner
 * whitespace collapsed, empty entries dropped, duplicates (case-insensitive) removed
 * keeping the first spelling, order kept.
 */
export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of input.split(/[,;\n]/)) {
    const tag = raw.replace(/\s+/g, ' ').trim().slice(0, MAX_TAG_LENGTH).trim();
    if (!tag) continue;
    const key = tag.toLocaleLowerCase('id');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

export function formatTags(tags: readonly string[]): string {
  return tags.join(', ');
}

export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
