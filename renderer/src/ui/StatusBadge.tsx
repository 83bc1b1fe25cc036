import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoryStatus } from '../../../shared/domain/story';

export function StatusBadge({ status, testId }: { status: StoryStatus; testId?: string }): JSX.Element {
  const { t } = useTranslation();
  return (
    <span className={`status-badge status-${status}`} data-testid={testId} data-status={testId ? status : undefined}>
      {t(`status.${status}`)}
    </span>
  );
}
