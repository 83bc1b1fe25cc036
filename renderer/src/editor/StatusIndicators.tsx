import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditorStatus } from '../state/editorStatusStore';
import { Icon } from '../ui/icons';

/** Test id `word-count` (a stable selector for the e2e tests): data-words is the body's word count. */
export function WordCount(): JSX.Element {
  const { t } = useTranslation();
  const words = useEditorStatus((s) => s.wordCount);
  return (
    <span className="word-count" data-testid="word-count" data-words={words} aria-live="off">
      {t('editor.words', { count: words })}
    </span>
  );
}

/** Saved / saving / error, driven by the push queue (data-state). */
export function SaveStateIndicator(): JSX.Element {
  const { t } = useTranslation();
  const state = useEditorStatus((s) => s.saveState);
  return (
    <span className={`save-state is-${state}`} data-testid="save-state" data-state={state} role="status">
      <Icon name={state === 'saved' ? 'check' : state === 'error' ? 'alert' : 'cloud'} size={15} />
      <span>{t(`save.${state}`)}</span>
    </span>
  );
}
