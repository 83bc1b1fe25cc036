import type { SyncStatus } from '../../../shared/domain/newsroom';

/**
 * The photo upload total a sync status may carry (issue 8): photos not on the server yet and
 * the bytes of their uploads. Optional on the wire: a core without photo uploads leaves it out,
 * and the indicator then shows nothing about photos.
 */
export interface PhotoUploadTotal {
  /** Photos still to upload (pending, uploading or failed). */
  pending: number;
  bytesSent: number;
  bytesTotal: number;
}

export interface PhotoUploadSummary {
  count: number;
  /** Whole percent of the bytes sent, or null when no sizes are known yet. */
  percent: number | null;
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** What the sync indicator says about photos: null when the status carries no total, or nothing waits. */
export function photoUploadSummary(sync: SyncStatus | null): PhotoUploadSummary | null {
  const total = (sync as (SyncStatus & { photos?: Partial<PhotoUploadTotal> }) | null)?.photos;
  if (!total || typeof total !== 'object' || !count(total.pending) || total.pending === 0) return null;
  const { bytesSent, bytesTotal } = total;
  const percent = count(bytesSent) && count(bytesTotal) && bytesTotal > 0 ? Math.min(100, Math.floor((bytesSent / bytesTotal) * 100)) : null;
  return { count: total.pending, percent };
}
