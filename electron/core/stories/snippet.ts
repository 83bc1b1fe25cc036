/**
 * A short excerpt around the first word matching a search term (as a prefix, ignoring case
 * and diacritics like the FTS tokenizer), matched words wrapped in [[ ]].
 * Done here rather than with FTS5's snippet(): that re-reads position lists per row and
 * cost ~2 ms a row for common prefix terms; this scans one text and stops at the window.
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

interface Tok {
  word: string;
  at: number;
}

export function makeSnippet(texts: readonly string[], terms: readonly string[], maxWords = 16, before = 4): string {
  const folded = terms.map(fold).filter(Boolean);
  if (folded.length === 0) return '';
  const matches = (w: string) => {
    const f = fold(w);
    return folded.some((t) => f.startsWith(t));
  };
  for (const text of texts) {
    const re = new RegExp(TOKEN.source, 'gu');
    const window: Tok[] = [];
    let hit = -1;
    let more = false;
    let skippedBefore = false;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const tok = { word: m[0], at: m.index };
      if (hit < 0) {
        window.push(tok);
        if (window.length > before + 1) {
          window.shift();
          skippedBefore = true;
        }
        if (matches(tok.word)) hit = window.length - 1;
      } else if (window.length < maxWords) {
        window.push(tok);
      } else {
        more = true;
        break;
      }
    }
    if (hit < 0) continue;
    const first = window[0]!;
    const last = window[window.length - 1]!;
    const startAt = skippedBefore ? first.at : 0;
    const endAt = more ? last.at + last.word.length : text.length;
    let out = '';
    let at = startAt;
    for (const tok of window) {
      if (!matches(tok.word)) continue;
      out += text.slice(at, tok.at) + `[[${tok.word}]]`;
      at = tok.at + tok.word.length;
    }
    out += text.slice(at, endAt);
    return (skippedBefore ? '…' : '') + out.replace(/\s+/g, ' ').trim() + (more ? '…' : '');
  }
  return '';
}
