import type { Role } from '../../shared/server-api/schemas';

/** Every demo account logs in with this password (README lists the accounts). */
export const DEMO_PASSWORD = 'redaksi123';

export interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  /** Top-level or nested rubrik paths (joined with ' › ') this redaktur edits. */
  edits?: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'admin', displayName: 'Hendra Wijayakusuma', role: 'admin' },
  { username: 'redaktur1', displayName: 'Ratna Kusumawardani', role: 'redaktur', edits: ['Nasional', 'Megapolitan', 'Perspektif', 'Wawancara', 'Kupas'] },
  { username: 'redaktur2', displayName: 'Bambang Setiadi Nugroho', role: 'redaktur', edits: ['Ekonomi', 'Mondial', 'Olahraga', 'Rona', 'Wisata', 'Edisi Weekend'] },
  { username: 'penulis1', displayName: 'Agus Prasetyo', role: 'penulis' },
  { username: 'penulis2', displayName: 'Nur Aini Lubis', role: 'penulis' },
  { username: 'penulis3', displayName: 'Yohanes Situmorang', role: 'penulis' },
];

export interface DemoRubrik {
  name: string;
  children?: DemoRubrik[];
}

const leaves = (...names: string[]): DemoRubrik[] => names.map((name) => ({ name }));

/** Koran Jakarta's sections, in the order the paper runs them. */
export const DEMO_RUBRIK: readonly DemoRubrik[] = [
  { name: 'Nasional', children: leaves('Politik', 'Hukum', 'Pendidikan', 'Kesehatan', 'Daerah') },
  { name: 'Mondial', children: leaves('Asia Pasifik', 'Eropa', 'Amerika', 'Timur Tengah', 'Afrika') },
  {
    name: 'Ekonomi',
    children: [
      ...leaves('Makro', 'Keuangan', 'Pasar Modal'),
      { name: 'Industri', children: leaves('Otomotif', 'Manufaktur', 'Energi', 'Agribisnis') },
      ...leaves('Properti', 'UMKM'),
    ],
  },
  { name: 'Megapolitan', children: leaves('Jakarta', 'Bogor', 'Depok', 'Tangerang', 'Bekasi') },
  { name: 'Olahraga', children: leaves('Sepak Bola', 'Bulu Tangkis', 'Bola Basket', 'Balap', 'Olahraga Lain') },
  { name: 'Rona', children: leaves('Gaya Hidup', 'Seni dan Budaya', 'Hiburan', 'Kuliner') },
  { name: 'Kupas' },
  { name: 'Wisata', children: leaves('Nusantara', 'Mancanegara') },
  { name: 'Perspektif', children: leaves('Tajuk Rencana', 'Opini', 'Surat Pembaca') },
  { name: 'Wawancara' },
  { name: 'Edisi Weekend', children: leaves('Laporan Khusus', 'Sosok', 'Ragam') },
  { name: 'Foto' },
  { name: 'Video' },
  { name: 'Infografis' },
];
