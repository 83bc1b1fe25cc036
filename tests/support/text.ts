import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { countWords } from '../../shared/text/wordCount';

/** Words of the real Koran Jakarta article (tests/fixtures), each counting as exactly one word. */
export function articleWords(): string[] {
  const text = readFileSync(fileURLToPath(new URL('../fixtures/seed-article-koran-jakarta.txt', import.meta.url)), 'utf8');
  const body = text.slice(text.indexOf('Kementerian Perindustrian'), text.indexOf('Halaman Selanjutnya'));
  return body.split(/\s+/).filter((w) => countWords(w) === 1 && !/["“”]/.test(w));
}

/** n words taken round the article, split into paragraphs of `perParagraph` words. */
export function paragraphsOfWords(n: number, perParagraph: number, offset = 0): string[] {
  const words = articleWords();
  const out: string[] = [];
  for (let i = 0; i < n; i += perParagraph) {
    const para: string[] = [];
    for (let j = i; j < Math.min(n, i + perParagraph); j++) para.push(words[(offset + j) % words.length]!);
    out.push(para.join(' '));
  }
  return out;
}
