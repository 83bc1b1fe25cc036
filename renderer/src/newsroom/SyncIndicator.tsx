import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { syncNow, useNewsroom } from '../state/newsroomStore';
import { Icon } from '../ui/icons';
import { photoUploadSummary } from './photoUploadTotal';
import { syncLabel } from './syncLabel';

/**
 * Test id `sync-status`: data-state (online | offline | syncing | error) and data-pending
 * (stories the server has not acknowledged), with the reason as text for screen readers and
 * as a tooltip. `sync-now` starts an exchange at once. Before core has answered, it says
 * offline and leaves data-pending out (the number is not known yet). When the status carries
 * a photo upload total, `sync-photos` shows how many photos wait and how many megabytes are left.
 */
export function SyncIndicator(): JSX.Element {
  const { t } = useTranslation();
  const sync = useNewsroom((s) => s.sync);
  const state = sync?.state ?? 'offline';
  const problem = sync?.problem ? t(`sync.problem.${sync.problem}`) : null;
  const pending = sync && sync.pending > 0 ? t('sync.pending', { count: sync.pending }) : null;
  const photoTotal = photoUploadSummary(sync);
  const photos = photoTotal
    ? photoTotal.bytesLeft === null
      ? t('sync.photos', { count: photoTotal.count })
      : t('sync.photosProgress', { count: photoTotal.count, megabytes: Math.max(0.1, Math.round(photoTotal.bytesLeft / 104_857.6) / 10) })
    : null;
  const details = [problem, pending, photos].filter(Boolean).join(' · ');
  const label = syncLabel(sync);
  return (
    <div className="sync-box">
      <div
        className={`sync-status is-${state}`}
        data-testid="sync-status"
        data-state={state}
        data-pending={sync ? String(sync.pending) : undefined}
        role="status"
        aria-label={t('sync.label')}
        title={details || undefined}
      >
        <Icon name="cloud" size={16} />
        <span className="sync-label">{label.count === undefined ? t(label.key) : t(label.key, { count: label.count })}</span>
        {sync && sync.pending > 0 ? (
          <span className="sync-pending" aria-hidden="true">
            {sync.pending}
          </span>
        ) : null}
        {photoTotal ? (
          <span className="sync-photos" data-testid="sync-photos" data-photos-pending={photoTotal.count} aria-hidden="true">
            <Icon name="photo" size={14} />
            {photoTotal.count}
          </span>
        ) : null}
        {details ? <span className="visually-hidden">{details}</span> : null}
      </div>
      <button
        type="button"
        className="btn btn-small btn-inverse"
        data-testid="sync-now"
        aria-label={t('sync.now')}
        title={t('sync.now')}
        disabled={state === 'syncing'}
        onClick={() => void syncNow()}
      >
        <Icon name="restore" size={16} />
      </button>
    </div>
  );
}
