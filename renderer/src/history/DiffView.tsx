import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Directory } from '../../../shared/domain/newsroom';
import { rubrikPath, userName } from '../newsroom/directoryView';
import type { DiffPart, FieldChange, StoryDiff } from './storyDiff';

/** Unchanged runs longer than this show only their ends, so the changes stay in sight. */
const CONTEXT_CHARS = 160;

function Parts({ parts, trim }: { parts: DiffPart[]; trim: boolean }): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      {parts.map((p, i) => {
        if (p.kind === 'added')
          return (
            <ins key={i} data-testid="diff-added" aria-label={t('history.added')}>
              {p.text}
            </ins>
          );
        if (p.kind === 'removed')
          return (
            <del key={i} data-testid="diff-removed" aria-label={t('history.removed')}>
              {p.text}
            </del>
          );
        if (!trim || p.text.length <= CONTEXT_CHARS * 2 + 20) return <span key={i}>{p.text}</span>;
        const head = i === 0 ? '' : p.text.slice(0, CONTEXT_CHARS);
        const tail = i === parts.length - 1 ? '' : p.text.slice(-CONTEXT_CHARS);
        return (
          <span key={i}>
            {head}
            <span className="diff-gap"> … </span>
            {tail}
          </span>
        );
      })}
    </>
  );
}

function shownValue(change: FieldChange, value: string, directory: Directory, empty: string): string {
  if (value === '') return empty;
  if (change.field === 'rubrik') return rubrikPath(directory, value) ?? value;
  if (change.field === 'redaktur') return userName(directory, value) ?? value;
  return value;
}

/** What changed between two states of the story (`diff-view`): fields, photos, body words. */
export function DiffView({ diff, directory, title, attribution }: { diff: StoryDiff; directory: Directory; title: string; attribution: string }): JSX.Element {
  const { t } = useTranslation();
  const bodyChanged = diff.body.some((p) => p.kind !== 'same');
  const nothing = !bodyChanged && diff.fields.length === 0 && diff.photos.length === 0;
  const empty = t('history.emptyValue');
  return (
    <section className="diff-view" data-testid="diff-view" aria-label={title}>
      <h3 className="diff-title">{title}</h3>
      <p className="diff-attribution" data-testid="diff-attribution">
        {attribution}
      </p>
      {nothing ? <p className="diff-none">{t('history.noChanges')}</p> : null}
      {diff.fields.length > 0 ? (
        <div className="diff-section">
          <h4>{t('history.fields')}</h4>
          <dl className="diff-fields">
            {diff.fields.map((change) => (
              <div key={change.field} className="diff-field" data-testid="diff-field" data-field={change.field}>
                <dt>{t(`history.field.${change.field}`)}</dt>
                <dd>
                  {change.parts ? (
                    <Parts parts={change.parts} trim={false} />
                  ) : (
                    <>
                      <del data-testid="diff-removed">{shownValue(change, change.before, directory, empty)}</del>
                      {' → '}
                      <ins data-testid="diff-added">{shownValue(change, change.after, directory, empty)}</ins>
                    </>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      {diff.photos.length > 0 ? (
        <div className="diff-section">
          <h4>{t('history.photos')}</h4>
          <ul className="diff-photos">
            {diff.photos.map((p, i) => (
              <li key={`${p.photoId}-${i}`} data-testid="diff-photo" data-kind={p.kind}>
                {p.kind === 'changed' ? (
                  <>
                    <span className="diff-photo-label">{t(`history.photoField.${p.field}`)}: </span>
                    <del>{p.before || empty}</del> → <ins>{p.after || empty}</ins>
                  </>
                ) : (
                  <>
                    <span className="diff-photo-label">{t(p.kind === 'added' ? 'history.photoAdded' : 'history.photoRemoved')}: </span>
                    {p.kind === 'added' ? <ins>{p.caption || empty}</ins> : <del>{p.caption || empty}</del>}
                    {p.credit ? ` (${p.credit})` : ''}
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="diff-section">
        <h4>{t('history.body')}</h4>
        {bodyChanged ? (
          <>
            <p className="diff-stats" data-testid="diff-stats" data-added={diff.addedWords.length} data-removed={diff.removedWords.length}>
              {t('history.bodyStats', { added: diff.addedWords.length, removed: diff.removedWords.length })}
            </p>
            <div className="diff-body">
              <Parts parts={diff.body} trim />
            </div>
          </>
        ) : (
          <p className="diff-none">{t('history.bodyUnchanged')}</p>
        )}
      </div>
    </section>
  );
}
