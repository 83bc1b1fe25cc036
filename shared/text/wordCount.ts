/**
 * Word count as an Indonesian newsroom counts it:
 * - reduplications joined by a hyphen are one word ("anak-anak", "sayur-mayur");
 * - numbers with thousand or decimal separators are one word ("1.500", "3,5", "Rp10.000");
 * - elisions with an apostrophe stay one word ("Jum'at");
 * - punctuation, dashes standing alone and symbols are not words.
 */
const WORD = /[\p{L}\p{N}\p{M}]+(?:(?:[-'’]|[.,](?=\p{N}))[\p{L}\p{N}\p{M}]+)*/gu;

export function countWords(text: string): number {
  let count = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) count++;
  return count;
}
