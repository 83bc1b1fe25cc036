import { useCallback, useId, useSyncExternalStore, type JSX, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../../shared/doc/storyDoc';
import { localeOf } from '../i18n/i18n';
import { coveringRedakturCount, penulisNames, redakturOptions, rubrikOptions, type PickerOption } from '../newsroom/directoryView';
import { useNewsroom } from '../state/newsroomStore';
import { readAssignment, writeAssignment, type AssignmentKey } from './assignment';

/** A value read from the story's meta map, kept live as the map changes (as a string, so React compares it). */
function useMetaSnapshot(doc: Y.Doc, read: () => string): string {
  const subscribe = useCallback(
    (notify: () => void) => {
      const meta = getMetaMap(doc);
      meta.observe(notify);
      return () => meta.unobserve(notify);
    },
    [doc],
  );
  return useSyncExternalStore(subscribe, read);
}

/** One plain meta id (rubrikId, redakturId), live from the story's meta map; '' when unset. */
function useMetaId(doc: Y.Doc, key: AssignmentKey): [string, (value: string) => void] {
  const value = useMetaSnapshot(doc, () => readAssignment(doc, key));
  const setValue = useCallback((next: string) => writeAssignment(doc, key, next), [doc, key]);
  return [value, setValue];
}

function usePenulisIds(doc: Y.Doc): string[] {
  return JSON.parse(useMetaSnapshot(doc, () => JSON.stringify(readMeta(doc).penulisIds))) as string[];
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

interface MetaPickerProps {
  label: string;
  testId: string;
  className: string;
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  describedBy: string | undefined;
  /** Shown for a stored id the choices do not hold (null when they hold it). */
  unknownLabel: string | null;
  children: ReactNode;
}

/** One labelled native select of the assignment: "none" first, a stored id the choices lack kept selectable. */
function MetaPicker({ label, testId, className, value, onChange, readOnly, describedBy, unknownLabel, children }: MetaPickerProps): JSX.Element {
  const { t } = useTranslation();
  const selectId = useId();
  return (
    <div className={`meta-field ${className}`}>
      <label htmlFor={selectId}>{label}</label>
      <select
        id={selectId}
        className="meta-select"
        data-testid={testId}
        value={value}
        disabled={readOnly}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{t('assign.none')}</option>
        {unknownLabel !== null ? <option value={value}>{unknownLabel}</option> : null}
        {children}
      </select>
    </div>
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
  const describedBy = emptyDirectory ? hintId : undefined;

  return (
    <div className="assignment" role="group" aria-label={`${t('assign.rubrik')}, ${t('assign.redaktur')}`}>
      <div className="assignment-row">
        <MetaPicker
          label={t('assign.rubrik')}
          testId="select-rubrik"
          className="field-rubrik"
          value={rubrikId}
          onChange={setRubrikId}
          readOnly={readOnly}
          describedBy={describedBy}
          unknownLabel={unknownRubrik ? t('assign.unknown') : null}
        >
          <Options options={rubrik} />
        </MetaPicker>
        <MetaPicker
          label={t('assign.redaktur')}
          testId="select-redaktur"
          className="field-redaktur"
          value={redakturId}
          onChange={setRedakturId}
          readOnly={readOnly}
          describedBy={describedBy}
          unknownLabel={unknownRedaktur ? (chosenRedaktur?.displayName ?? t('assign.unknown')) : null}
        >
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
        </MetaPicker>
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
