import { headline, seededRandom, storyParagraphs, WORDS } from './text';
import type { BodyExpectation } from './inPage';

/** The 20,000-word story of the keystroke and open benchmarks (~410 paragraphs). */
export const LONG_STORY_WORDS = 20_000;
const WORDS_PER_PARAGRAPH = 49;

export interface LongStory {
  headline: string;
  paragraphs: string[];
  expect: BodyExpectation;
}

export function longStory(): LongStory {
  const paragraphs = storyParagraphs(20_000, LONG_STORY_WORDS, WORDS_PER_PARAGRAPH);
  const last = paragraphs[paragraphs.length - 1]!;
  return {
    headline: 'Uji Kinerja: Naskah Panjang 20.000 Kata',
    paragraphs,
    expect: { blocks: paragraphs.length, tail: last.slice(-40) },
  };
}

/** 200 characters to type, US-keyboard characters only (each one sends a real keydown). */
export function textToType(length = 200): string {
  const rand = seededRandom(200);
  let text = ' ';
  while (text.length < length) text += `${WORDS[Math.floor(rand() * WORDS.length)]!} `;
  return text.slice(0, length);
}

/** Headline and a short body for each of the many stories of the list benchmarks. */
export function shortStory(index: number): { headline: string; paragraphs: string[] } {
  const rand = seededRandom(1_000_000 + index);
  return { headline: headline(rand), paragraphs: storyParagraphs(2_000_000 + index, 60 + Math.floor(rand() * 60), 40) };
}
