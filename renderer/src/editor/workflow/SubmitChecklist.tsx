import { useEffect, useId, useRef, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { readPhotos, type StoryPhoto } from '../../../../shared/doc/photos';
import type { ChecklistItem } from '../../../../shared/workflow/checklist';
import { openPanel, useReview } from '../../state/reviewStore';
import { Icon } from '../../ui/icons';
import { checklistItemKey, checklistTargets } from './checklistView';
import { pressSubmit } from './submitFlow';
import { useChecklist } from './useChecklist';

/** Focuses (and scrolls to) the field an item is about, within the editor holding `from`. */
export function goToField(from: Element, item: ChecklistItem, photos: readonly StoryPhoto[]): boolean {
  const scope = from.closest('.editor-pane') ?? from.ownerDocument;
  for (const selector of checklistTargets(item, photos)) {
    const all = [...scope.querySelectorAll<HTMLElement>(selector)];
    // Several photo credits: the first one still empty.
    const target = all.find((el) => !(el instanceof HTMLInputElement) || el.value.trim() === '') ?? all[0];
    if (!target) continue;
    target.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
    target.focus({ preventScroll: true });
    return true;
  }
  return false;
}

function useItemText(photos: readonly StoryPhoto[]): (item: ChecklistItem) => { label: string; detail: string | null } {
  const { t } = useTranslation();
  return (item) => {
    const label = t(`workflow.checklist.item.${item.id}.${item.ok ? 'ok' : 'fail'}`, { mark: item.placeholder ?? '' });
    let detail: string | null = null;
    if (item.id === 'length' && item.words !== undefined && item.target !== undefined) {
      detail = t('workflow.checklist.lengthDetail', { words: item.words, target: item.target });
    } else if (item.id === 'photo_credit') {
      const index = photos.findIndex((p) => p.id === item.photoId);
      const caption = photos[index]?.caption.trim();
      detail = caption || (index >= 0 ? t('workflow.checklist.photoDetail', { n: index + 1 }) : null);
    } else if (item.id === 'placeholder' && !item.ok) {
      detail = t('workflow.checklist.placeholderAt', { place: t(`workflow.checklist.place.${item.field}`, { defaultValue: item.field }) });
    }
    return { label, detail };
  };
}

/**
 * The pre-submit checklist (`submit-checklist`, items `checklist-item` with data-ok): live
 * while open; each item leads to the field to fix; submit waits while a blocking item fails.
 */
export function SubmitChecklist({ doc }: { doc: Y.Doc }): JSX.Element {
  const { t } = useTranslation();
  const { items, blocking } = useChecklist(doc);
  const sending = useReview((s) => s.sending === 'submit');
  const passes = blocking.length === 0;
  // Read with every re-evaluation (the checklist follows the doc): captions and photo order.
  const photos = readPhotos(doc);
  const text = useItemText(photos);
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[data-ok="false"] button, .checklist-submit')?.focus({ preventScroll: true });
  }, []);
  return (
    <div
      ref={ref}
      className="workflow-panel submit-checklist"
      data-testid="submit-checklist"
      data-workflow-panel="checklist"
      data-ok={passes}
      role="dialog"
      aria-labelledby={titleId}
    >
      <p id={titleId} className="panel-title">
        {t('workflow.checklist.title')}
      </p>
      <ul className="checklist">
        {items.map((item) => {
          const { label, detail } = text(item);
          return (
            <li
              key={checklistItemKey(item)}
              className={`checklist-item ${item.ok ? 'is-ok' : item.severity === 'blocking' ? 'is-blocking' : 'is-warning'}`}
              data-testid="checklist-item"
              data-item={item.id}
              data-field={item.field}
              data-ok={item.ok}
              data-severity={item.severity}
            >
              <button type="button" className="checklist-go" title={t('workflow.checklist.goTo')} onClick={(e) => goToField(e.currentTarget, item, photos)}>
                <Icon name={item.ok ? 'check' : 'alert'} size={15} />
                <span className="checklist-text">
                  <span className="checklist-label">{label}</span>
                  {detail ? <span className="checklist-detail">{detail}</span> : null}
                </span>
                <span className="checklist-kind">{item.severity === 'blocking' ? t('workflow.checklist.blocking') : t('workflow.checklist.warning')}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <p className={`panel-status${passes ? '' : ' is-blocked'}`} role="status">
        {passes ? t('workflow.checklist.ready') : t('workflow.checklist.blocked')}
      </p>
      <div className="panel-buttons">
        <button type="button" className="btn btn-small" onClick={() => openPanel(null)}>
          {t('workflow.checklist.cancel')}
        </button>
        <button
          type="button"
          className="btn btn-primary btn-small checklist-submit"
          data-testid="checklist-submit"
          disabled={!passes || sending}
          onClick={() => pressSubmit(doc)}
        >
          {t('workflow.submitNow')}
        </button>
      </div>
    </div>
  );
}
