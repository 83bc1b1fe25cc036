import { describe, expect, it } from 'vitest';
import { STORY_STATUSES, type StorySummary } from '../../../shared/domain/story';
import { inQueue, matchesFilter, queueFirst, type QueueViewer } from './listFilter';

const story = (over: Partial<StorySummary>): StorySummary => ({
  id: 'x',
  headline: '',
  status: 'submitted',
  updatedAt: 0,
  createdAt: 0,
  wordCount: 0,
  deletedAt: null,
  damaged: false,
  rubrikId: null,
  redakturId: null,
  penulisIds: [],
  syncState: 'synced',
  conflictOf: null,
  ...over,
});
const me: QueueViewer = { id: 'me', rubrikIds: new Set(['ekonomi', 'otomotif']) };

describe('inQueue', () => {
  it('holds submitted and in-review stories addressed to me or filed in my rubrik, nothing else', () => {
    for (const status of STORY_STATUSES) {
      const waits = status === 'submitted' || status === 'in_review';
      expect(inQueue(story({ status, redakturId: 'me' }), me), status).toBe(waits);
      expect(inQueue(story({ status, rubrikId: 'otomotif' }), me), status).toBe(waits);
    }
    expect(inQueue(story({ redakturId: 'other', rubrikId: 'nasional' }), me)).toBe(false);
    expect(inQueue(story({ redakturId: 'me', deletedAt: 1 }), me)).toBe(false);
    expect(inQueue(story({ redakturId: 'me' }), null)).toBe(false);
  });
  it("is what the 'waiting' filter keeps", () => {
    expect(matchesFilter(story({ redakturId: 'me' }), 'waiting', me)).toBe(true);
    expect(matchesFilter(story({ redakturId: 'me', status: 'draft' }), 'waiting', me)).toBe(false);
    expect(matchesFilter(story({ redakturId: 'me' }), 'waiting', null)).toBe(false);
  });
});

describe('queueFirst', () => {
  it('moves my queue to the top and keeps the order within each part', () => {
    const list = [
      story({ id: 'a', status: 'draft', redakturId: 'me' }),
      story({ id: 'b', rubrikId: 'ekonomi' }),
      story({ id: 'c', status: 'approved' }),
      story({ id: 'd', status: 'in_review', redakturId: 'me' }),
      story({ id: 'e' }),
    ];
    expect(queueFirst(list, me).map((s) => s.id)).toEqual(['b', 'd', 'a', 'c', 'e']);
    expect(queueFirst(list, null).map((s) => s.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
