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

/**
 * Saved / saving / error, driven by the push queue (data-state); beside it, while this
 * story has edits core refused (kept apart on this device), a lasting warning
 * (`save-refused`, data-count).
 */
export function SaveStateIndicator(): JSX.Element {
  const { t } = useTranslation();
  const state = useEditorStatus((s) => s.saveState);
  const refused = useEditorStatus((s) => s.refusedEdits);
  return (
    <>
      <span className={`save-state is-${state}`} data-testid="save-state" data-state={state} role="status">
        <Icon name={state === 'saved' ? 'check' : state === 'error' ? 'alert' : 'cloud'} size={15} />
        <span>{t(`save.${state}`)}</span>
      </span>
      {refused > 0 ? (
        <span className="save-state is-error" data-testid="save-refused" data-count={refused} role="alert" title={t('save.refusedHint')}>
          <Icon name="alert" size={15} />
          <span>{t('save.refused')}</span>
        </span>
      ) : null}
    </>
  );
}
