import { describe, expect, it } from 'vitest';
import { parseChangeEvent } from './changeEvents';

const story = { kind: 'story', seq: 7, storyId: 's1', createdBy: 'u1', rubrikId: 'r2', redakturId: 'u3', penulisIds: ['u1'] };

describe('parseChangeEvent', () => {
  it('reads a story change with the access facts it had before a move', () => {
    const formerly = { rubrikId: 'r1', redakturId: 'u2', penulisIds: ['u1', 'u4'] };
    expect(parseChangeEvent(JSON.stringify({ ...story, formerly }))).toEqual({ ...story, formerly });
    // A story that had no rubrik or redaktur before.
    const bare = { rubrikId: null, redakturId: null, penulisIds: [] };
    expect(parseChangeEvent(JSON.stringify({ ...story, formerly: bare }))).toEqual({ ...story, formerly: bare });
  });

  it('reads a story change without them, as servers that predate them send it', () => {
    const parsed = parseChangeEvent(JSON.stringify(story));
    expect(parsed).toEqual(story);
    expect(parsed).not.toHaveProperty('formerly');
  });

  it('keeps a story change whose former facts are malformed, without them: its current viewers are still told', () => {
    for (const formerly of [null, 'r1', { rubrikId: 'r1', redakturId: 'u2' }, { rubrikId: 1, redakturId: null, penulisIds: [] }, { rubrikId: null, redakturId: null, penulisIds: [3] }]) {
      const parsed = parseChangeEvent(JSON.stringify({ ...story, formerly }));
      expect(parsed).toEqual(story);
      expect(parsed).not.toHaveProperty('formerly');
    }
  });

  it('ignores what is not a change event', () => {
    for (const payload of [undefined, '', 'not json', '{"kind":"story"}', '{"kind":"other"}', '[]']) expect(parseChangeEvent(payload)).toBeNull();
  });
});
