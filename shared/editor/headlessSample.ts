import type { BodyBlock } from './headless';

/**
 * Deterministic newsroom-like bodies for tests and benchmarks: Indonesian words, a heading
 * every few paragraphs, a page break ("Halaman Selanjutnya") about every 4,000 words.
 */
const WORDS = (
  'pemerintah kementerian industri otomotif kendaraan listrik produksi nasional pasar ekspor ' +
  'harga bahan bakar subsidi anggaran rakyat daerah provinsi kabupaten kota warga petani nelayan ' +
  'pelabuhan jalan tol bandara investasi asing modal saham bursa rupiah dolar inflasi bank sentral ' +
  'suku bunga kredit usaha kecil menengah koperasi desa sekolah guru murid rumah sakit dokter ' +
  'pasien vaksin banjir hujan musim kemarau panen beras jagung kedelai cabai bawang gula minyak ' +
  'goreng kelapa sawit karet kopi teh tembakau batu bara nikel tambang hutan laut pantai pulau'
).split(' ');

/** mulberry32: a tiny seeded PRNG, so every run (test or benchmark) builds the same text. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleSentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

/**
 * About `wordCount` words (exactly, counting headings) in ~49-word paragraphs, so 20,000
 * words make about 410 blocks, like the editor benchmark's story.
 */
export function sampleStoryBlocks(wordCount: number, seed = 1): BodyBlock[] {
  const rand = seededRandom(seed);
  const blocks: BodyBlock[] = [];
  let written = 0;
  let sinceBreak = 0;
  let paragraphs = 0;
  while (written < wordCount) {
    if (sinceBreak >= 4000) {
      blocks.push({ type: 'page-break' });
      sinceBreak = 0;
    }
    const left = wordCount - written;
    if (paragraphs % 12 === 11 && left > 4) {
      blocks.push({ type: 'heading', tag: 'h2', children: [sampleSentence(rand, 4).slice(0, -1)] });
      written += 4;
      sinceBreak += 4;
    } else {
      const n = Math.min(left, 49);
      blocks.push({ type: 'paragraph', children: [sampleSentence(rand, n)] });
      written += n;
      sinceBreak += n;
    }
    paragraphs++;
  }
  return blocks;
}
