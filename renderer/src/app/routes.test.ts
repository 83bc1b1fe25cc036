import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './routes';

const ID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';

describe('parseRoute', () => {
  it('reads the list and a story', () => {
    expect(parseRoute('#/')).toEqual({ kind: 'list' });
    expect(parseRoute(`#/story/${ID}`)).toEqual({ kind: 'story', storyId: ID });
    expect(parseRoute(`#/story/${ID}/`)).toEqual({ kind: 'story', storyId: ID });
    expect(parseRoute(`#/story/${ID.toUpperCase()}`)).toEqual({ kind: 'story', storyId: ID });
  });

  it('treats an empty or unknown hash as the list, including web mode’s #token=…', () => {
    expect(parseRoute('')).toEqual({ kind: 'list' });
    expect(parseRoute('#')).toEqual({ kind: 'list' });
    expect(parseRoute('#token=abc-DEF_123')).toEqual({ kind: 'list' });
    expect(parseRoute('#token=abc&story=1')).toEqual({ kind: 'list' });
    expect(parseRoute('#/settings')).toEqual({ kind: 'list' });
    expect(parseRoute(`#/story/${ID}/extra`)).toEqual({ kind: 'list' });
  });

  it('reports a story address without a valid id as a missing story', () => {
    expect(parseRoute('#/story/')).toEqual({ kind: 'missing-story' });
    expect(parseRoute('#/story/12345')).toEqual({ kind: 'missing-story' });
    expect(parseRoute('#/story/%E0%A4%A')).toEqual({ kind: 'missing-story' });
  });

  it('round-trips with routeHash', () => {
    expect(routeHash(null)).toBe('#/');
    expect(parseRoute(routeHash(ID))).toEqual({ kind: 'story', storyId: ID });
    expect(parseRoute(routeHash(null))).toEqual({ kind: 'list' });
  });
});
