import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../shared/domain/newsroom';
import { coveringRedakturCount, penulisNames, queueViewerOf, redakturOptions, rubrikOptions, rubrikPath, userName } from './directoryView';

const user = (id: string, displayName: string, role: 'penulis' | 'redaktur' | 'admin', rubrikIds: string[] = [], active = true) => ({
  id,
  username: id,
  displayName,
  role,
  active,
  rubrikIds,
});

const directory: Directory = {
  version: 7,
  rubrik: [
    { id: 'ekonomi', parentId: null, name: 'Ekonomi', path: 'Ekonomi', position: 0 },
    { id: 'industri', parentId: 'ekonomi', name: 'Industri', path: 'Ekonomi › Industri', position: 0 },
    { id: 'otomotif', parentId: 'industri', name: 'Otomotif', path: 'Ekonomi › Industri › Otomotif', position: 0 },
    { id: 'nasional', parentId: null, name: 'Nasional', path: 'Nasional', position: 1 },
  ],
  users: [
    user('r1', 'Ratna Kusumawardani', 'redaktur', ['nasional']),
    user('r2', 'Bambang Setiadi Nugroho', 'redaktur', ['ekonomi']),
    user('r3', 'Dewi Lestari', 'redaktur', ['nasional'], false),
    user('p1', 'Agus Prasetyo', 'penulis'),
    user('a1', 'Hendra Wijayakusuma', 'admin'),
  ],
};

describe('what pickers, byline and list read from the directory', () => {
  it('labels every rubrik with its full path, in the directory order', () => {
    expect(rubrikOptions(directory).map((o) => o.label)).toEqual(['Ekonomi', 'Ekonomi › Industri', 'Ekonomi › Industri › Otomotif', 'Nasional']);
    expect(rubrikPath(directory, 'otomotif')).toBe('Ekonomi › Industri › Otomotif');
    expect(rubrikPath(directory, 'gone')).toBeNull();
  });

  it('offers active redaktur only, those who edit the rubrik (or one above it) first', () => {
    expect(redakturOptions(directory, null, 'id').map((o) => o.label)).toEqual(['Bambang Setiadi Nugroho', 'Ratna Kusumawardani']);
    // Otomotif sits under Ekonomi, which Bambang edits.
    expect(redakturOptions(directory, 'otomotif', 'id').map((o) => o.value)).toEqual(['r2', 'r1']);
    expect(redakturOptions(directory, 'nasional', 'id').map((o) => o.value)).toEqual(['r1', 'r2']);
    expect(coveringRedakturCount(directory, 'otomotif')).toBe(1);
    expect(coveringRedakturCount(directory, null)).toBe(0);
  });

  it('names people by display name, inactive ones too; an id it does not know stays visible', () => {
    expect(userName(directory, 'r3')).toBe('Dewi Lestari');
    expect(penulisNames(directory, ['p1', 'zz'], '(tidak dikenal)')).toEqual(['Agus Prasetyo', '(tidak dikenal)']);
  });
});

describe('queueViewerOf', () => {
  const account = (id: string, role: 'penulis' | 'redaktur' | 'admin') => ({ id, username: id, displayName: id, role });
  it('gives a redaktur their rubrik with every sub-rubrik', () => {
    const viewer = queueViewerOf(directory, account('r2', 'redaktur'));
    expect(viewer?.id).toBe('r2');
    expect([...(viewer?.rubrikIds ?? [])].sort()).toEqual(['ekonomi', 'industri', 'otomotif']);
  });
  it('gives a redaktur the directory does not know yet only the stories addressed to them', () => {
    expect(queueViewerOf(directory, account('r9', 'redaktur'))).toEqual({ id: 'r9', rubrikIds: new Set() });
  });
  it('has no queue for a penulis, an admin or nobody', () => {
    expect(queueViewerOf(directory, account('p1', 'penulis'))).toBeNull();
    expect(queueViewerOf(directory, account('a1', 'admin'))).toBeNull();
    expect(queueViewerOf(directory, null)).toBeNull();
  });
});
