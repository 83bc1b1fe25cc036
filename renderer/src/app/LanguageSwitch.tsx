import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { UiLanguage } from '../../../shared/rpc/contract';
import { LANGUAGES } from '../i18n/languages';
import { useApp } from '../state/appStore';
import { Icon } from '../ui/icons';
import { changeLanguage } from './settings';

/** Test id `lang-switch` (a stable selector for the e2e tests): a native select, id / en; the choice is saved in core's settings. */
export function LanguageSwitch(): JSX.Element {
  const { t } = useTranslation();
  const language = useApp((s) => s.language);
  return (
    <label className="lang-switch">
      <Icon name="globe" size={16} />
      <span className="visually-hidden">{t('lang.label')}</span>
      <select
        data-testid="lang-switch"
        aria-label={t('lang.label')}
        value={language}
        onChange={(e) => void changeLanguage(e.target.value as UiLanguage)}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
