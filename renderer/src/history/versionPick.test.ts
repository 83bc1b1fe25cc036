import { describe, expect, it } from 'vitest';
import type { VersionSummary } from '../../../shared/server-api/workflow';
import { comparisonOf, NOW, togglePick, versionsNewestFirst } from './versionPick';

const v = (id: string, createdAt: number, kind: VersionSummary['kind'] = 'filed'): VersionSummary => ({ id, storyId: 's', kind, createdBy: 'u', createdAt });
const FILED = v('filed', 100);
const EDITED = v('edited', 200, 'edited');
const PUBLISHED = v('published', 300, 'published');
const ALL = [FILED, EDITED, PUBLISHED];

describe('choosing versions to compare', () => {
  it('one version compares with now; two compare older → newer whatever the order they were chosen in', () => {
    expect(comparisonOf([], ALL)).toBeNull();
    expect(comparisonOf(['edited'], ALL)).toEqual({ from: EDITED, to: NOW });
    expect(comparisonOf(['published', 'filed'], ALL)).toEqual({ from: FILED, to: PUBLISHED });
  });

  it('a third choice lets go of the first; choosing a chosen one again lets go of it', () => {
    expect(togglePick(['filed', 'edited'], 'published')).toEqual(['edited', 'published']);
    expect(togglePick(['filed', 'edited'], 'filed')).toEqual(['edited']);
    expect(togglePick([], 'filed')).toEqual(['filed']);
  });

  it('ignores ids no longer among the versions, and lists newest first', () => {
    expect(comparisonOf(['gone', 'filed'], ALL)).toEqual({ from: FILED, to: NOW });
    expect(versionsNewestFirst(ALL).map((x) => x.id)).toEqual(['published', 'edited', 'filed']);
  });
});
