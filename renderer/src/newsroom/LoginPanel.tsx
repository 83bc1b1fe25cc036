import { useEffect, useId, useRef, useState, type FormEvent, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { login, useLoginUi, useNewsroom, workOffline, type LoginFailure } from '../state/newsroomStore';

/** The message for a refused login, in the UI language. */
function useFailureMessage(failure: LoginFailure | null): string | null {
  const { t } = useTranslation();
  const owner = useNewsroom((s) => s.account?.owner ?? null);
  if (!failure) return null;
  if (failure === 'profile_owned') {
    return owner ? t('login.error.profile_owned', { owner: `${owner.displayName} (${owner.username})` }) : t('login.error.profile_owned_unknown');
  }
  return t(`login.error.${failure}`);
}

/**
 * The login screen: server address (prefilled from core), username, password, and the way
 * out to offline work. Shown beside the story list, so writing never waits for it. While
 * the session is expired it names who must log in again.
 */
export function LoginPanel(): JSX.Element {
  const { t } = useTranslation();
  const account = useNewsroom((s) => s.account);
  const { submitting, failure, requested } = useLoginUi();
  const failureMessage = useFailureMessage(failure);
  const expiredUser = account?.state === 'expired' ? account.user : null;

  const [serverUrl, setServerUrl] = useState(account?.serverUrl ?? '');
  const [username, setUsername] = useState(expiredUser?.username ?? '');
  const [password, setPassword] = useState('');
  const touchedUrl = useRef(false);
  const touchedUser = useRef(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  // Core's answer may arrive after the form is up: fill what the user has not typed into.
  useEffect(() => {
    if (!touchedUrl.current && account?.serverUrl) setServerUrl(account.serverUrl);
  }, [account?.serverUrl]);
  useEffect(() => {
    if (!touchedUser.current && expiredUser) setUsername(expiredUser.username);
  }, [expiredUser?.username]);

  const headingId = useId();
  const introId = useId();
  const errorId = useId();
  const ids = { url: useId(), user: useId(), password: useId() };

  // Asked for from the header or the banner: the keyboard lands in the form. Shown at start on
  // its own, it leaves the focus where it is (the list, a story being opened).
  const urlRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!requested) return;
    (urlRef.current?.value ? usernameRef.current : urlRef.current)?.focus();
  }, [requested]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await login({ serverUrl, username, password });
    if (ok) setPassword('');
    else if (useLoginUi.getState().failure === 'login_failed') passwordRef.current?.select();
  };

  return (
    <section
      className="login-pane"
      aria-labelledby={headingId}
      data-testid="login-screen"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          workOffline();
        }
      }}
    >
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-describedby={introId} noValidate>
        <h2 id={headingId}>{t('login.heading')}</h2>
        <p id={introId} className="login-intro">
          {expiredUser ? t('login.expiredIntro', { name: expiredUser.displayName }) : t('login.intro')}
        </p>
        <div className="login-field">
          <label htmlFor={ids.url}>{t('login.serverUrl')}</label>
          <input
            id={ids.url}
            ref={urlRef}
            type="url"
            inputMode="url"
            data-testid="login-server-url"
            className="meta-input"
            placeholder="https://redaksi.example"
            autoComplete="url"
            spellCheck={false}
            value={serverUrl}
            aria-invalid={failure === 'server_unreachable' || failure === 'invalid_input' ? true : undefined}
            aria-describedby={failureMessage ? errorId : undefined}
            onChange={(e) => {
              touchedUrl.current = true;
              setServerUrl(e.target.value);
            }}
          />
        </div>
        <div className="login-field">
          <label htmlFor={ids.user}>{t('login.username')}</label>
          <input
            id={ids.user}
            ref={usernameRef}
            type="text"
            data-testid="login-username"
            className="meta-input"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            aria-invalid={failure === 'login_failed' || failure === 'profile_owned' ? true : undefined}
            aria-describedby={failureMessage ? errorId : undefined}
            onChange={(e) => {
              touchedUser.current = true;
              setUsername(e.target.value);
            }}
          />
        </div>
        <div className="login-field">
          <label htmlFor={ids.password}>{t('login.password')}</label>
          <input
            id={ids.password}
            ref={passwordRef}
            type="password"
            data-testid="login-password"
            className="meta-input"
            autoComplete="current-password"
            value={password}
            aria-invalid={failure === 'login_failed' ? true : undefined}
            aria-describedby={failureMessage ? errorId : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {failureMessage ? (
          <p id={errorId} className="login-error" role="alert" data-testid="login-error" data-code={failure}>
            {failureMessage}
          </p>
        ) : null}
        <div className="login-actions">
          <button type="submit" className="btn btn-primary" data-testid="login-submit" disabled={submitting} aria-busy={submitting}>
            {submitting ? t('login.submitting') : t('login.submit')}
          </button>
          <button type="button" className="btn btn-ghost" data-testid="login-offline" onClick={workOffline}>
            {t('login.workOffline')}
          </button>
        </div>
      </form>
    </section>
  );
}
