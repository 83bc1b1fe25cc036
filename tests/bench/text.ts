/**
 * Repeatable Indonesian-looking newsroom text: a fixed word list driven by a seeded PRNG,
 * so every run benchmarks the same story and the same 10,000 headlines.
 */

import { seededRandom } from '../../shared/editor/headlessSample';

export { seededRandom };

// Every entry is one word for countWords (shared/text/wordCount.ts), reduplications included.
export const WORDS = [
  'pemerintah', 'daerah', 'pusat', 'kota', 'provinsi', 'warga', 'masyarakat', 'petani', 'nelayan', 'pedagang',
  'pasar', 'harga', 'beras', 'cabai', 'minyak', 'bahan', 'bakar', 'listrik', 'air', 'bersih',
  'jalan', 'tol', 'jembatan', 'pelabuhan', 'bandara', 'kereta', 'api', 'angkutan', 'umum', 'kendaraan',
  'mobil', 'motor', 'listrik', 'industri', 'otomotif', 'pabrik', 'pekerja', 'buruh', 'upah', 'minimum',
  'ekonomi', 'pertumbuhan', 'inflasi', 'bank', 'kredit', 'bunga', 'investasi', 'modal', 'saham', 'rupiah',
  'anggaran', 'belanja', 'pajak', 'penerimaan', 'negara', 'menteri', 'gubernur', 'bupati', 'wali', 'presiden',
  'dewan', 'perwakilan', 'rakyat', 'partai', 'pemilu', 'suara', 'kampanye', 'calon', 'komisi', 'rapat',
  'sidang', 'hakim', 'jaksa', 'polisi', 'tersangka', 'kasus', 'korupsi', 'hukum', 'undang-undang', 'aturan',
  'sekolah', 'guru', 'murid', 'mahasiswa', 'kampus', 'pendidikan', 'kesehatan', 'rumah', 'sakit', 'dokter',
  'pasien', 'obat', 'vaksin', 'banjir', 'hujan', 'musim', 'kemarau', 'gempa', 'bencana', 'pengungsi',
  'bantuan', 'sosial', 'program', 'proyek', 'pembangunan', 'kawasan', 'wilayah', 'desa', 'kampung', 'anak-anak',
  'keluarga', 'ibu', 'bapak', 'pemuda', 'tokoh', 'agama', 'budaya', 'seni', 'musik', 'film',
  'olahraga', 'sepak', 'bola', 'tim', 'pelatih', 'pemain', 'pertandingan', 'juara', 'liga', 'stadion',
  'yang', 'dan', 'di', 'ke', 'dari', 'untuk', 'dengan', 'pada', 'dalam', 'akan',
  'telah', 'sudah', 'masih', 'belum', 'juga', 'tidak', 'bisa', 'harus', 'lebih', 'banyak',
  'baru', 'besar', 'kecil', 'tinggi', 'rendah', 'cepat', 'lambat', 'penting', 'utama', 'nasional',
  'mengatakan', 'menjelaskan', 'menyebutkan', 'menilai', 'meminta', 'berharap', 'menambahkan', 'mengungkapkan', 'menegaskan', 'memastikan',
  'tahun', 'bulan', 'pekan', 'hari', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu',
  'Jakarta', 'Surabaya', 'Bandung', 'Medan', 'Makassar', 'Semarang', 'Yogyakarta', 'Denpasar', 'Palembang', 'Balikpapan',
  'sayur-mayur', 'Rp10.000', '1.500', '3,5', 'persen', 'miliar', 'triliun', 'juta', 'ribu', 'ton',
] as const;

function pick(rand: () => number): string {
  return WORDS[Math.floor(rand() * WORDS.length)]!;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A sentence of 6–14 words, capitalised, ending with a full stop. */
function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(rand));
  out[0] = capitalize(out[0]!);
  if (words > 8 && rand() < 0.5) out[Math.floor(words / 2)] += ',';
  return `${out.join(' ')}.`;
}

/** Exactly `wordsPerParagraph` words per paragraph, split into sentences. */
export function paragraph(rand: () => number, wordsPerParagraph: number): string {
  const sentences: string[] = [];
  let left = wordsPerParagraph;
  while (left > 0) {
    const n = Math.min(left, 6 + Math.floor(rand() * 9));
    // Avoid a one- or two-word tail sentence: fold it into this one.
    const take = left - n < 3 ? left : n;
    sentences.push(sentence(rand, take));
    left -= take;
  }
  return sentences.join(' ');
}

/** A body of exactly `totalWords` words in paragraphs of about `wordsPerParagraph`. */
export function storyParagraphs(seed: number, totalWords: number, wordsPerParagraph: number): string[] {
  const rand = seededRandom(seed);
  const out: string[] = [];
  let left = totalWords;
  while (left > 0) {
    const n = Math.min(left, wordsPerParagraph);
    out.push(paragraph(rand, n));
    left -= n;
  }
  return out;
}

/** A headline of 5–9 words, title-cased like Koran Jakarta's. */
export function headline(rand: () => number): string {
  const n = 5 + Math.floor(rand() * 5);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(capitalize(pick(rand)));
  return out.join(' ');
}
