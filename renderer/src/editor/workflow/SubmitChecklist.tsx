import { useEffect, useId, useRef, type JSX, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { checklistPasses, type ChecklistItem } from '../../../../shared/workflow/checklist';
import { openPanel, useReview } from '../../state/reviewStore';
import { Icon } from '../../ui/icons';
import { checklistTargets, countPair, placeholderDetail } from './checklistView';
import { pressSubmit } from './submitFlow';
import { useChecklist } from './useChecklist';

/** Focuses (and scrolls to) the field an item is about, within the editor holding `from`. */
export function goToField(from: Element, item: ChecklistItem): boolean {
  const scope = from.closest('.editor-pane') ?? from.ownerDocument;
  for (const testId of checklistTargets(item)) {
    const all = [...scope.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)];
    // A photo credit: the first one still empty.
    const target = all.find((el) => !(el instanceof HTMLInputElement) || el.value.trim() === '') ?? all[0];
    if (!target) continue;
    target.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
    target.focus({ preventScroll: true });
    return true;
  }
  return false;
}

function useItemText(): (item: ChecklistItem) => { label: string; detail: string | null } {
  const { t } = useTranslation();
  return (item) => {
    const label = t(`workflow.checklist.item.${item.id}.${item.ok ? 'ok' : 'fail'}`, {
      mark: placeholderDetail(item.detail)?.mark ?? '',
    });
    let detail: string | null = null;
    const pair = countPair(item.detail);
    if (item.id === 'length' && pair) detail = t('workflow.checklist.lengthDetail', { words: pair[0], target: pair[1] });
    if (item.id === 'photo_credits' && pair && !item.ok) detail = t('workflow.checklist.photoDetail', { missing: pair[0], photos: pair[1] });
    const place = placeholderDetail(item.detail)?.place;
    if (item.id === 'placeholders' && place) detail = t('workflow.checklist.placeholderAt', { place: t(`workflow.checklist.place.${place}`, { defaultValue: place }) });
    return { label, detail };
  };
}

/**
 * The pre-submit checklist (`submit-checklist`, items `checklist-item` with data-ok): live
 * while open; each item leads to the field to fix; submit waits while a blocking item fails.
 */
export function SubmitChecklist({ doc }: { doc: Y.Doc }): JSX.Element {
  const { t } = useTranslation();
  const items = useChecklist(doc);
  const sending = useReview((s) => s.sending === 'submit');
  const passes = checklistPasses(items);
  const text = useItemText();
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[data-ok="false"] button, .checklist-submit')?.focus({ preventScroll: true });
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      openPanel(null);
    }
  };
  return (
    <div
      ref={ref}
      className="workflow-panel submit-checklist"
      data-testid="submit-checklist"
      data-workflow-panel="checklist"
      data-ok={passes}
      role="dialog"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
    >
      <p id={titleId} className="panel-title">
        {t('workflow.checklist.title')}
      </p>
      <ul className="checklist">
        {items.map((item) => {
          const { label, detail } = text(item);
          return (
            <li
              key={item.id}
              className={`checklist-item ${item.ok ? 'is-ok' : item.blocking ? 'is-blocking' : 'is-warning'}`}
              data-testid="checklist-item"
              data-item={item.id}
              data-ok={item.ok}
              data-blocking={item.blocking}
            >
              <button type="button" className="checklist-go" title={t('workflow.checklist.goTo')} onClick={(e) => goToField(e.currentTarget, item)}>
                <Icon name={item.ok ? 'check' : 'alert'} size={15} />
                <span className="checklist-label">{label}</span>
                {detail ? <span className="checklist-detail">{detail}</span> : null}
                <span className="checklist-kind">{item.blocking ? t('workflow.checklist.blocking') : t('workflow.checklist.warning')}</span>
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
