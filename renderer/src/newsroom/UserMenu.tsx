import { useEffect, useId, useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { logout, openLogin, useNewsroom } from '../state/newsroomStore';

/**
 * Test id `user-menu`: the logged-in user's name and role; opens a small menu (log in again
 * when the session expired, log out). Nobody logged in: a "log in" button that brings the
 * login screen back.
 */
export function UserMenu(): JSX.Element | null {
  const { t } = useTranslation();
  const account = useNewsroom((s) => s.account);
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  // Not known yet (core not reached since the page loaded): nothing to offer.
  if (!account) return null;
  const user = account.state === 'logged_out' ? null : account.user;
  if (!user) {
    return (
      <button type="button" className="btn btn-small btn-inverse" data-testid="header-login" onClick={openLogin}>
        {t('account.logIn')}
      </button>
    );
  }
  const role = t(`account.role.${user.role}`);
  return (
    <div
      className="user-menu"
      ref={rootRef}
      data-testid="user-menu"
      data-state={account.state}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          toggleRef.current?.focus();
        }
      }}
    >
      <button
        type="button"
        ref={toggleRef}
        className="user-menu-toggle"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`${t('account.menu')}: ${user.displayName}, ${role}`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="user-name">{user.displayName}</span>
        <span className="user-role">{role}</span>
      </button>
      {open ? (
        <div className="user-menu-items" id={menuId}>
          {account.state === 'expired' ? (
            <button
              type="button"
              className="menu-item"
              data-testid="login-again"
              onClick={() => {
                setOpen(false);
                openLogin();
              }}
            >
              {t('account.logInAgain')}
            </button>
          ) : null}
          <button
            type="button"
            className="menu-item"
            data-testid="logout"
            onClick={() => {
              setOpen(false);
              void logout();
            }}
          >
            {t('account.logOut')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
