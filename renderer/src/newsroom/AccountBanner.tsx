import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { openLogin, useLoginUi, useNewsroom } from '../state/newsroomStore';
import { Icon } from '../ui/icons';

/** The session expired: edits stay local; ask, visibly, to log in again. */
export function AccountBanner(): JSX.Element | null {
  const { t } = useTranslation();
  const expired = useNewsroom((s) => s.account?.state === 'expired');
  const loginShown = useLoginUi((s) => s.requested);
  if (!expired) return null;
  return (
    <div className="banner is-error" role="alert" data-testid="session-expired">
      <Icon name="alert" />
      <span>{t('account.expiredBanner')}</span>
      {loginShown ? null : (
        <button type="button" className="btn btn-small" data-testid="login-again-banner" onClick={openLogin}>
          {t('account.logInAgain')}
        </button>
      )}
    </div>
  );
}
