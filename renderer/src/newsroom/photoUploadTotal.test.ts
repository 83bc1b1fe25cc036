import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/domain/newsroom';
import { photoUploadSummary } from './photoUploadTotal';

const base: SyncStatus = { state: 'online', pending: 0, lastSyncedAt: 1, problem: null };

describe('the photo upload total in the sync status', () => {
  it('is shown only when the status carries it and something waits', () => {
    expect(photoUploadSummary(null)).toBeNull();
    expect(photoUploadSummary(base)).toBeNull();
    expect(photoUploadSummary({ ...base, photos: { pending: 0, bytesSent: 0, bytesTotal: 0 } } as SyncStatus)).toBeNull();
  });

  it('counts photos and the share of bytes sent', () => {
    const sync = { ...base, photos: { pending: 3, bytesSent: 1_500_000, bytesTotal: 6_000_000 } } as SyncStatus;
    expect(photoUploadSummary(sync)).toEqual({ count: 3, percent: 25 });
    const unsized = { ...base, photos: { pending: 2, bytesSent: 0, bytesTotal: 0 } } as SyncStatus;
    expect(photoUploadSummary(unsized)).toEqual({ count: 2, percent: null });
  });

  it('ignores a malformed total rather than showing nonsense', () => {
    expect(photoUploadSummary({ ...base, photos: { pending: 'many' } } as unknown as SyncStatus)).toBeNull();
    expect(photoUploadSummary({ ...base, photos: 7 } as unknown as SyncStatus)).toBeNull();
  });
});
