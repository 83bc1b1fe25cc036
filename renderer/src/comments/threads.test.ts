import { describe, expect, it } from 'vitest';
import { EMPTY_DIRECTORY, type Directory } from '../../../shared/domain/newsroom';
import type { StoryReview } from '../../../shared/domain/review';
import { buildThreads, nameResolver } from './threads';

const STORY = '00000000-0000-4000-8000-000000000001';
const T1 = '00000000-0000-4000-8000-0000000000a1';
const T2 = '00000000-0000-4000-8000-0000000000a2';
const T3 = '00000000-0000-4000-8000-0000000000a3';
const RATNA = '00000000-0000-4000-8000-0000000000b1';

const directory = {
  ...EMPTY_DIRECTORY,
  users: [{ id: RATNA, username: 'redaktur1', displayName: 'Ratna Kusumawardani', role: 'redaktur', active: true, rubrikIds: [] }],
} as unknown as Directory;

function review(partial: Partial<StoryReview>): StoryReview {
  return {
    storyId: STORY,
    status: 'in_review',
    serverStatus: 'in_review',
    revisionNote: null,
    revisionNoteBy: null,
    allowed: [],
    readOnlyReason: null,
    comments: [],
    threads: [],
    versions: [],
    editors: [],
    pendingCommands: [],
    lastRefusal: null,
    ...partial,
  };
}

const comment = (id: string, threadId: string, createdAt: number, extra: { pending?: boolean; authorId?: string; quote?: string } = {}) => ({
  id,
  storyId: STORY,
  threadId,
  authorId: extra.authorId ?? RATNA,
  body: `komentar ${id}`,
  quote: extra.quote ?? `kutipan ${threadId}`,
  createdAt,
  pending: extra.pending ?? false,
});

describe('buildThreads', () => {
  it('lists every thread core knows: anchored ones with their words now, the rest detached with their quote', () => {
    const r = review({
      comments: [comment(T1, T1, 1), comment(T2, T2, 2, { quote: 'kata yang dihapus' })],
      threads: [
        { threadId: T1, resolved: false, resolvedBy: null, resolvedAt: null },
        { threadId: T2, resolved: false, resolvedBy: null, resolvedAt: null },
      ],
    });
    const threads = buildThreads(r, new Map([[T1, 'mobil listrik nasional']]), nameResolver(directory, null, '?'));
    expect(threads.map((t) => [t.threadId, t.detached, t.anchoredText, t.quote])).toEqual([
      [T1, false, 'mobil listrik nasional', `kutipan ${T1}`],
      [T2, true, null, 'kata yang dihapus'],
    ]);
  });

  it('groups replies in order, names authors from the directory (unknown ones say so) and flags pending comments', () => {
    const r = review({
      comments: [comment('c3', T1, 30, { pending: true, authorId: 'someone-new' }), comment(T1, T1, 10), comment('c2', T1, 20)],
      threads: [{ threadId: T1, resolved: false, resolvedBy: null, resolvedAt: null }],
    });
    const [thread] = buildThreads(r, new Map(), nameResolver(directory, null, '(tidak dikenal)'));
    expect(thread!.comments.map((c) => [c.id, c.authorName, c.pending])).toEqual([
      [T1, 'Ratna Kusumawardani', false],
      ['c2', 'Ratna Kusumawardani', false],
      ['c3', '(tidak dikenal)', true],
    ]);
    expect(thread!.pending).toBe(true);
  });

  it('puts resolved threads after the open ones, with who resolved them', () => {
    const r = review({
      comments: [comment(T1, T1, 1), comment(T2, T2, 2), comment(T3, T3, 3)],
      threads: [
        { threadId: T1, resolved: true, resolvedBy: RATNA, resolvedAt: 5 },
        { threadId: T2, resolved: false, resolvedBy: null, resolvedAt: null },
      ],
    });
    const threads = buildThreads(r, new Map(), nameResolver(directory, null, '?'));
    expect(threads.map((t) => [t.threadId, t.resolved, t.resolvedByName])).toEqual([
      [T2, false, null],
      [T3, false, null],
      [T1, true, 'Ratna Kusumawardani'],
    ]);
  });

  it("names the logged-in user even before the directory is synced", () => {
    const me = { id: 'me-id', username: 'penulis1', displayName: 'Agus Prasetyo', role: 'penulis' as const };
    const nameOf = nameResolver(EMPTY_DIRECTORY, me, '?');
    expect([nameOf('me-id'), nameOf(RATNA), nameOf(null)]).toEqual(['Agus Prasetyo', '?', '?']);
  });

  it('shows nothing before core answered', () => {
    expect(buildThreads(null, new Map([[T1, 'x']]), nameResolver(directory, null, '?'))).toEqual([]);
  });
});
