import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../../shared/domain/newsroom';
import type { StoryPhoto } from '../../../../shared/doc/photos';
import { WORKFLOW_COMMANDS } from '../../../../shared/workflow/rules';
import { actionTestId, checklistTargets, failureRule, rubrikNamePath } from './checklistView';

describe('checklist view', () => {
  it('names every action as the UI contract does', () => {
    expect(WORKFLOW_COMMANDS.map(actionTestId)).toEqual([
      'action-submit',
      'action-claim',
      'action-request-revision',
      'action-approve',
      'action-publish',
      'action-spike',
      'action-restore',
    ]);
  });

  it('leads an item to its field, and a photo item to that photo’s credit first', () => {
    expect(checklistTargets({ id: 'headline', severity: 'blocking', ok: false, field: 'headline' }, [])).toEqual(['[data-testid="field-headline"]']);
    expect(checklistTargets({ id: 'rubrik', severity: 'blocking', ok: false, field: 'rubrik' }, [])).toEqual(['[data-testid="select-rubrik"]']);
    const photo = { id: 'p1', sha256: 'a'.repeat(64) } as StoryPhoto;
    expect(checklistTargets({ id: 'photo_credit', severity: 'blocking', ok: false, field: 'photo', photoId: 'p1' }, [photo])[0]).toBe(
      `[data-testid="photo-item"][data-sha256="${'a'.repeat(64)}"] [data-testid="photo-credit"]`,
    );
    expect(checklistTargets({ id: 'placeholder', severity: 'blocking', ok: false, field: 'photo', photoId: 'p1' }, [photo])[0]).toContain('photo-caption');
    // No input for the kicker in the editor yet: nothing to lead to, no error.
    expect(checklistTargets({ id: 'placeholder', severity: 'blocking', ok: false, field: 'kicker' }, [])).toEqual([]);
  });

  it('reads the server’s failure codes down to their rule', () => {
    expect(['headline', 'photo_credit:p2', 'placeholder:photo:p1', 'placeholder:body'].map(failureRule)).toEqual([
      'headline',
      'photo_credit',
      'placeholder',
      'placeholder',
    ]);
  });

  it('names a rubrik from the top of the tree down', () => {
    const directory: Directory = {
      version: 1,
      users: [],
      rubrik: [
        { id: 'e', parentId: null, name: 'Ekonomi', path: 'Ekonomi', position: 0 },
        { id: 'i', parentId: 'e', name: 'Industri', path: 'Ekonomi › Industri', position: 0 },
        { id: 'o', parentId: 'i', name: 'Otomotif', path: 'Ekonomi › Industri › Otomotif', position: 0 },
      ],
    };
    expect(rubrikNamePath(directory, 'o')).toEqual(['Ekonomi', 'Industri', 'Otomotif']);
    expect(rubrikNamePath(directory, 'unknown')).toEqual([]);
    expect(rubrikNamePath(directory, null)).toEqual([]);
  });
});
