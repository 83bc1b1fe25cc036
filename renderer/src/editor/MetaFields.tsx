import { useEffect, useId, useRef, useState, type ChangeEvent, type JSX, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { isMetaProseField, type MetaPlainField, type MetaProseField, type MetaTextField } from '../../../shared/doc/storyDoc';
import { useApp } from '../state/appStore';
import { editingLocked, useReview } from '../state/reviewStore';
import { AssignmentFields } from './AssignmentFields';
import type { StorySession } from './storySession';
import { formatTags, parseTags, sameTags } from './tags';
import { useLoaded } from './useLoaded';
import { useMetaProseField, useMetaTags, useMetaText } from './useMetaField';

interface FieldProps {
  doc: Y.Doc;
  readOnly: boolean;
  field: MetaTextField;
  testId: string;
  label: string;
  placeholder: string;
  className?: string;
  multiline?: boolean;
  autoFocus?: boolean;
}

type InputRef = RefObject<(HTMLInputElement & HTMLTextAreaElement) | null>;

/** Headline, subheadline, lead: collaborative text, bound to the uncontrolled element. */
function ProseInput(props: FieldProps & { field: MetaProseField }): JSX.Element {
  const ref: InputRef = useRef(null);
  useMetaProseField(props.doc, props.field, ref);
  return <MetaTextInput {...props} inputRef={ref} />;
}

/** Dateline: a plain value (last writer wins), a controlled element. */
function PlainInput(props: FieldProps & { field: MetaPlainField }): JSX.Element {
  const ref: InputRef = useRef(null);
  const [value, setValue] = useMetaText(props.doc, props.field);
  return <MetaTextInput {...props} inputRef={ref} controlled={{ value, onChange: (e) => setValue(e.target.value) }} />;
}

function MetaField(props: FieldProps): JSX.Element {
  const { field } = props;
  return isMetaProseField(field) ? <ProseInput {...props} field={field} /> : <PlainInput {...props} field={field} />;
}

interface ControlledValue {
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void;
}

function MetaTextInput({
  readOnly,
  field,
  testId,
  label,
  placeholder,
  className,
  multiline,
  autoFocus,
  inputRef: ref,
  controlled,
}: FieldProps & { inputRef: InputRef; controlled?: ControlledValue }): JSX.Element {
  const id = useId();
  // Focus once the field becomes writable (autoFocus on mount would hit a read-only field).
  useEffect(() => {
    if (autoFocus && !readOnly) {
      ref.current?.focus();
      useApp.getState().headlineFocused();
    }
  }, [autoFocus, readOnly]);
  const common = {
    id,
    'data-testid': testId,
    className: `meta-input ${className ?? ''}`,
    placeholder,
    readOnly,
    ref,
    spellCheck: true,
    autoComplete: 'off',
    ...controlled,
  };
  return (
    <div className={`meta-field field-${field}`}>
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea {...common} rows={2} /> : <input {...common} type="text" />}
    </div>
  );
}

/**
 * Tags as comma-separated text. While the field has focus the text is the user's own
 * (so "ekonomi, " keeps its trailing comma); what is stored is the parsed list.
 */
function TagsInput({ doc, readOnly }: { doc: Y.Doc; readOnly: boolean }): JSX.Element {
  const { t } = useTranslation();
  const id = useId();
  const hintId = useId();
  const [tags, setTags] = useMetaTags(doc);
  const [text, setText] = useState(() => formatTags(tags));
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current && !sameTags(parseTags(text), tags)) setText(formatTags(tags));
  }, [tags]); // follow the stored tags only (text is read, not tracked)
  return (
    <div className="meta-field field-tags">
      <label htmlFor={id}>{t('editor.tags')}</label>
      <input
        id={id}
        type="text"
        data-testid="field-tags"
        className="meta-input"
        placeholder={t('editor.tagsPlaceholder')}
        aria-describedby={hintId}
        value={text}
        readOnly={readOnly}
        autoComplete="off"
        onFocus={() => (focused.current = true)}
        onBlur={() => {
          focused.current = false;
          setText(formatTags(parseTags(text)));
        }}
        onChange={(e) => {
          setText(e.target.value);
          const next = parseTags(e.target.value);
          if (!sameTags(next, tags)) setTags(next);
        }}
      />
      {tags.length > 0 ? (
        <ul className="tag-chips" aria-hidden="true">
          {tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      ) : null}
      <p id={hintId} className="field-hint">
        {t('editor.tagsHint')}
      </p>
    </div>
  );
}

/** Headline, subheadline and lead (collaborative texts), dateline and tags (plain meta values), rubrik, redaktur and byline; read-only until the story is loaded and while the workflow locks it. */
export function MetaFields({ session }: { session: StorySession }): JSX.Element {
  const { t } = useTranslation();
  const autoFocusHeadline = useApp((s) => s.focusHeadlineOf === session.storyId);
  const doc = session.doc;
  const loaded = useLoaded(session.provider);
  // Read-only until the story is in, and while the workflow keeps the text from this user.
  const readOnly = useReview((s) => !loaded || editingLocked(s));
  return (
    <div className="meta-fields" role="group" aria-label={t('editor.metaSection')}>
      <MetaField
        doc={doc}
        readOnly={readOnly}
        field="headline"
        testId="field-headline"
        label={t('editor.headline')}
        placeholder={t('editor.headlinePlaceholder')}
        className="headline-input"
        autoFocus={autoFocusHeadline}
      />
      <MetaField
        doc={doc}
        readOnly={readOnly}
        field="subheadline"
        testId="field-subheadline"
        label={t('editor.subheadline')}
        placeholder={t('editor.subheadlinePlaceholder')}
        className="subheadline-input"
      />
      <div className="meta-row">
        <MetaField
          doc={doc}
          readOnly={readOnly}
          field="dateline"
          testId="field-dateline"
          label={t('editor.dateline')}
          placeholder={t('editor.datelinePlaceholder')}
          className="dateline-input"
        />
        <TagsInput doc={doc} readOnly={readOnly} />
      </div>
      <MetaField
        doc={doc}
        readOnly={readOnly}
        field="lead"
        testId="field-lead"
        label={t('editor.lead')}
        placeholder={t('editor.leadPlaceholder')}
        className="lead-input"
        multiline
      />
      <AssignmentFields doc={doc} readOnly={readOnly} />
    </div>
  );
}
