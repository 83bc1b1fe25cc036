import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * What a page break shows in the editor: its label in the UI language, re-rendered when the
 * language changes. Plugged in through the editor theme (theme.ts); exported HTML keeps
 * the publication's own "Halaman Selanjutnya".
 */
export function PageBreakLabel(): JSX.Element {
  const { t } = useTranslation();
  return <span className="page-break-label">{t('editor.pageBreak')}</span>;
}
