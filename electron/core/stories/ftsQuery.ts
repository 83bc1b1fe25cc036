/**
 * Turns what a person typed into a safe FTS5 expression: every word becomes a quoted
 * prefix term ("kata"*), all ANDed. Only letters, digits and marks survive, split the way
 * the unicode61 tokenizer splits, so quotes, `*`, `NEAR`, `OR`, parentheses or column
 * filters in the input are plain words or nothing, never syntax.
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const MAX_TERMS = 16;

/** The distinct lower-cased words of a query, in order; empty when nothing is searchable. */
export function searchTerms(input: string): string[] {
  const words = input.normalize('NFC').match(TOKEN);
  return words ? [...new Set(words.map((w) => w.toLowerCase()))].slice(0, MAX_TERMS) : [];
}

/** Returns null when the input holds no searchable word. */
export function toFtsQuery(input: string): string | null {
  const terms = searchTerms(input);
  return terms.length ? terms.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' AND ') : null;
}
