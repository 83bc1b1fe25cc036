import type { SyncStatus } from '../../../shared/domain/newsroom';

/**
 * The photo upload total a sync status may carry (issue 8): photos of this profile not yet
 * wholly on the server (`photosPending`) and the bytes still to send (`photoBytesPending`).
 * Optional on the wire: a core without photo uploads leaves them out, and the indicator then
 * shows nothing about photos.
 */
export interface PhotoUploadSummary {
  count: number;
  /** Bytes still to send, or null when unknown. */
  bytesLeft: number | null;
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** What the sync indicator says about photos: null when the status carries no total, or nothing waits. */
export function photoUploadSummary(sync: SyncStatus | null): PhotoUploadSummary | null {
  if (!sync || !count(sync.photosPending) || sync.photosPending === 0) return null;
  return { count: sync.photosPending, bytesLeft: count(sync.photoBytesPending) ? sync.photoBytesPending : null };
}
