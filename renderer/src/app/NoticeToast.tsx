import { useEffect, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../state/appStore';
import { Icon } from '../ui/icons';

const NOTICE_MS = 7_000;

/** Short-lived confirmation with an optional action (e.g. undo a move to the trash). */
export function NoticeToast(): JSX.Element | null {
  const { t } = useTranslation();
  const notice = useApp((s) => s.notice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => {
      if (useApp.getState().notice?.id === notice.id) useApp.getState().dismissNotice();
    }, NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className="toast" role="status" data-testid="notice">
      <span>{notice.message}</span>
      {notice.action ? (
        <button
          type="button"
          className="btn btn-small btn-inverse"
          data-testid="notice-action"
          onClick={() => {
            notice.action!.run();
            useApp.getState().dismissNotice();
          }}
        >
          {notice.action.label}
        </button>
      ) : null}
      <button type="button" className="toast-close" aria-label={t('list.dismiss')} onClick={() => useApp.getState().dismissNotice()}>
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}
