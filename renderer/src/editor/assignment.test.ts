import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../../shared/doc/storyDoc';
import { readAssignment, writeAssignment } from './assignment';

const exchange = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('rubrik and redaktur in the story document', () => {
  it('are plain ids in the meta map that reach another copy of the story like text does', () => {
    const reporter = new Y.Doc();
    const updates: Uint8Array[] = [];
    reporter.on('update', (u: Uint8Array) => updates.push(u));
    writeAssignment(reporter, 'rubrikId', 'rubrik-otomotif');
    writeAssignment(reporter, 'redakturId', 'user-redaktur2');
    expect(updates).toHaveLength(2); // each choice is an edit the push queue sends
    expect(getMetaMap(reporter).get('rubrikId')).toBe('rubrik-otomotif'); // a plain string, not a Y type

    const redaktur = new Y.Doc();
    exchange(reporter, redaktur);
    expect(readMeta(redaktur)).toMatchObject({ rubrikId: 'rubrik-otomotif', redakturId: 'user-redaktur2' });

    // "Choose" ('') clears it, everywhere.
    writeAssignment(redaktur, 'redakturId', '');
    exchange(reporter, redaktur);
    expect(readAssignment(reporter, 'redakturId')).toBe('');
    expect(readAssignment(reporter, 'rubrikId')).toBe('rubrik-otomotif');
  });
});
