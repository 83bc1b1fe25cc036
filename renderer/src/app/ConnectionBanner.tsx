import { useEffect, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { core, hasCore } from '../core/coreContext';
import { useApp } from '../state/appStore';
import { Icon } from '../ui/icons';

/** Grace period before "connecting" is shown, so a normal start does not flash a banner. */
const SHOW_CONNECTING_AFTER_MS = 600;

/**
 * Tells the user when core cannot be reached or the link dropped (and that queued writing
 * is safe); offers an immediate retry. data-state mirrors the connection state.
 */
export function ConnectionBanner(): JSX.Element | null {
  const { t } = useTranslation();
  const connection = useApp((s) => s.connection);
  const missingToken = useApp((s) => s.missingToken);
  const [graceOver, setGraceOver] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), SHOW_CONNECTING_AFTER_MS);
    return () => clearTimeout(timer);
  }, []);

  if (missingToken) {
    return (
      <div className="banner is-error" role="alert" data-testid="connection-status" data-state="no-token">
        <Icon name="alert" />
        <span>{t('connection.missingToken')}</span>
      </div>
    );
  }
  if (connection.state === 'connected') return null;
  if (!connection.everConnected && connection.failures === 0 && !graceOver) return null;

  const message = connection.everConnected
    ? t('connection.lost')
    : connection.failures > 0
      ? t('connection.unreachable')
      : t('connection.connecting');
  return (
    <div
      className={`banner ${connection.failures > 0 || connection.everConnected ? 'is-error' : 'is-info'}`}
      role="alert"
      data-testid="connection-status"
      data-state={connection.state}
    >
      <Icon name="alert" />
      <span>{message}</span>
      {connection.state === 'disconnected' && hasCore() ? (
        <button type="button" className="btn btn-small" onClick={() => core().endpoint.retryNow()}>
          {t('connection.retry')}
        </button>
      ) : null}
    </div>
  );
}
