import { useCallback, useId, useSyncExternalStore, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../../shared/doc/storyDoc';
import { localeOf } from '../i18n/i18n';
import { coveringRedakturCount, penulisNames, redakturOptions, rubrikOptions, type PickerOption } from '../newsroom/directoryView';
import { useNewsroom } from '../state/newsroomStore';
import { readAssignment, writeAssignment, type AssignmentKey } from './assignment';

/** One plain meta id (rubrikId, redakturId), live from the story's meta map; '' when unset. */
function useMetaId(doc: Y.Doc, key: AssignmentKey): [string, (value: string) => void] {
  const subscribe = useCallback(
    (notify: () => void) => {
      const meta = getMetaMap(doc);
      meta.observe(notify);
      return () => meta.unobserve(notify);
    },
    [doc],
  );
  const value = useSyncExternalStore(subscribe, () => readAssignment(doc, key));
  const setValue = useCallback((next: string) => writeAssignment(doc, key, next), [doc, key]);
  return [value, setValue];
}

function usePenulisIds(doc: Y.Doc): string[] {
  const subscribe = useCallback(
    (notify: () => void) => {
      const meta = getMetaMap(doc);
      meta.observe(notify);
      return () => meta.unobserve(notify);
    },
    [doc],
  );
  const key = useSyncExternalStore(subscribe, () => JSON.stringify(readMeta(doc).penulisIds));
  return JSON.parse(key) as string[];
}

function Options({ options }: { options: PickerOption[] }): JSX.Element {
  return (
    <>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </>
  );
}

/**
 * Rubrik and redaktur pickers (`select-rubrik`, `select-redaktur`: native selects, so they
 * work with the keyboard and screen readers as they are) and the byline. They read the
 * directory cached by core, so they work offline; a stored id the directory does not know
 * (yet) stays selected as "(tidak dikenal)" rather than being lost.
 */
export function AssignmentFields({ doc, readOnly }: { doc: Y.Doc; readOnly: boolean }): JSX.Element {
  const { t, i18n } = useTranslation();
  const directory = useNewsroom((s) => s.directory);
  const [rubrikId, setRubrikId] = useMetaId(doc, 'rubrikId');
  const [redakturId, setRedakturId] = useMetaId(doc, 'redakturId');
  const penulisIds = usePenulisIds(doc);
  const rubrikSelectId = useId();
  const redakturSelectId = useId();
  const hintId = useId();

  const rubrik = rubrikOptions(directory);
  const redaktur = redakturOptions(directory, rubrikId || null, localeOf(i18n.language));
  const covering = rubrikId ? coveringRedakturCount(directory, rubrikId) : 0;
  const unknownRubrik = rubrikId !== '' && !rubrik.some((o) => o.value === rubrikId);
  // Inactive redaktur are left out of the choices but still named when already chosen.
  const chosenRedaktur = directory.users.find((u) => u.id === redakturId);
  const unknownRedaktur = redakturId !== '' && !redaktur.some((o) => o.value === redakturId);
  const emptyDirectory = directory.rubrik.length === 0 && directory.users.length === 0;
  const names = penulisNames(directory, penulisIds, t('assign.unknown'));

  return (
    <div className="assignment" role="group" aria-label={`${t('assign.rubrik')}, ${t('assign.redaktur')}`}>
      <div className="assignment-row">
        <div className="meta-field field-rubrik">
          <label htmlFor={rubrikSelectId}>{t('assign.rubrik')}</label>
          <select
            id={rubrikSelectId}
            className="meta-select"
            data-testid="select-rubrik"
            value={rubrikId}
            disabled={readOnly}
            aria-describedby={emptyDirectory ? hintId : undefined}
            onChange={(e) => setRubrikId(e.target.value)}
          >
            <option value="">{t('assign.none')}</option>
            {unknownRubrik ? <option value={rubrikId}>{t('assign.unknown')}</option> : null}
            <Options options={rubrik} />
          </select>
        </div>
        <div className="meta-field field-redaktur">
          <label htmlFor={redakturSelectId}>{t('assign.redaktur')}</label>
          <select
            id={redakturSelectId}
            className="meta-select"
            data-testid="select-redaktur"
            value={redakturId}
            disabled={readOnly}
            aria-describedby={emptyDirectory ? hintId : undefined}
            onChange={(e) => setRedakturId(e.target.value)}
          >
            <option value="">{t('assign.none')}</option>
            {unknownRedaktur ? <option value={redakturId}>{chosenRedaktur?.displayName ?? t('assign.unknown')}</option> : null}
            {covering > 0 && covering < redaktur.length ? (
              <>
                <optgroup label={t('assign.editsRubrik')}>
                  <Options options={redaktur.slice(0, covering)} />
                </optgroup>
                <optgroup label={t('assign.others')}>
                  <Options options={redaktur.slice(covering)} />
                </optgroup>
              </>
            ) : (
              <Options options={redaktur} />
            )}
          </select>
        </div>
      </div>
      {emptyDirectory ? (
        <p id={hintId} className="field-hint">
          {t('assign.emptyDirectory')}
        </p>
      ) : null}
      <p className="byline" data-testid="byline">
        {names.length > 0 ? t('assign.byline', { names: names.join(', ') }) : t('assign.bylineNone')}
      </p>
    </div>
  );
}
