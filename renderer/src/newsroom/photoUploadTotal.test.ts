import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/domain/newsroom';
import { photoUploadSummary } from './photoUploadTotal';

const base: SyncStatus = { state: 'online', pending: 0, lastSyncedAt: 1, problem: null };

describe('the photo upload total in the sync status', () => {
  it('is shown only when the status carries it and something waits', () => {
    expect(photoUploadSummary(null)).toBeNull();
    expect(photoUploadSummary(base)).toBeNull();
    expect(photoUploadSummary({ ...base, photosPending: 0, photoBytesPending: 0 })).toBeNull();
  });

  it('counts photos and the bytes left to send', () => {
    expect(photoUploadSummary({ ...base, photosPending: 3, photoBytesPending: 4_500_000 })).toEqual({ count: 3, bytesLeft: 4_500_000 });
    expect(photoUploadSummary({ ...base, photosPending: 2 })).toEqual({ count: 2, bytesLeft: null });
  });

  it('ignores a malformed total rather than showing nonsense', () => {
    expect(photoUploadSummary({ ...base, photosPending: 'many' } as unknown as SyncStatus)).toBeNull();
    expect(photoUploadSummary({ ...base, photosPending: -1 })).toBeNull();
  });
});
