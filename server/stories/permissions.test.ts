import { describe, expect, it } from 'vitest';
import { canAccessStory, type StoryAccessFacts, type Viewer } from './permissions';

const story: StoryAccessFacts = { createdBy: 'p1', rubrikId: 'otomotif', redakturId: 'r1', penulisIds: ['p1', 'p2'] };
const viewer = (id: string, role: Viewer['role'], edits: string[] = []): Viewer => ({ id, role, editedRubrikIds: new Set(edits) });

describe('who may read and write a story', () => {
  it.each([
    ['the creator', viewer('p1', 'penulis'), true],
    ['a penulis named in the byline', viewer('p2', 'penulis'), true],
    ['another penulis', viewer('p3', 'penulis'), false],
    ['a penulis who "edits" the rubrik (assignments mean nothing for a penulis)', viewer('p3', 'penulis', ['otomotif']), false],
    ['the assigned redaktur', viewer('r1', 'redaktur'), true],
    ['a redaktur of the rubrik (or of a parent: the viewer set holds sub-rubrik)', viewer('r2', 'redaktur', ['otomotif']), true],
    ['a redaktur of another rubrik', viewer('r3', 'redaktur', ['olahraga']), false],
    ['an admin', viewer('a1', 'admin'), true],
  ])('%s', (_label, who, allowed) => {
    expect(canAccessStory(who, story)).toBe(allowed);
  });

  it('a story without rubrik is reached by nobody through rubrik assignments', () => {
    expect(canAccessStory(viewer('r2', 'redaktur', ['otomotif']), { ...story, rubrikId: null, redakturId: null })).toBe(false);
  });
});
