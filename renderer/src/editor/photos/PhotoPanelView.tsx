import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useEffect, useId, useRef, useState, type ChangeEvent, type JSX, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CREDIT_PRESETS, PHOTO_MIME_TYPES, type PhotoUploadStatus } from '../../../../shared/domain/photo';
import type { StoryPhoto } from '../../../../shared/doc/photos';
import { useApp } from '../../state/appStore';
import { Icon } from '../../ui/icons';
import { usePhotoPanel, usePhotoState } from './photoContext';
import { PhotoImage } from './PhotoImage';
import { missingCredit, uploadStateOf, type PhotoPanel, type PhotoRefusal } from './photoPanel';
import { insertPhotosIntoBody } from './photoPlugin';

const ACCEPT = PHOTO_MIME_TYPES.join(',');
const REFUSAL_CODES = new Set(['photo_invalid', 'photo_too_large', 'read_failed']);

function RefusalList({ panel }: { panel: PhotoPanel }): JSX.Element | null {
  const { t } = useTranslation();
  const refusals = usePhotoState((s) => s.refusals);
  if (refusals.length === 0) return null;
  const text = (r: PhotoRefusal) =>
    REFUSAL_CODES.has(r.code) ? t(`photos.refused.${r.code}`, { name: r.fileName }) : t('photos.refused.other', { name: r.fileName, code: r.code });
  return (
    <ul className="photo-refusals">
      {refusals.map((r) => (
        <li key={r.id} className="photo-refusal" data-testid="photo-refusal" data-code={r.code} role="alert">
          <Icon name="alert" size={16} />
          <span>{text(r)}</span>
          <button type="button" className="toast-close" aria-label={t('photos.dismiss')} onClick={() => panel.dismissRefusal(r.id)}>
            <Icon name="close" size={14} />
          </button>
        </li>
      ))}
    </ul>
  );
}

function AttachProgress(): JSX.Element | null {
  const { t } = useTranslation();
  const attaching = usePhotoState((s) => s.attaching);
  if (!attaching) return null;
  const { done, total, current } = attaching;
  return (
    <div className="photo-attaching" data-testid="photo-attaching" role="status">
      <span>{current ? t('photos.attachingFile', { name: current, done: done + 1, total }) : t('photos.attaching', { done, total })}</span>
      <progress max={total} value={done} />
    </div>
  );
}

function UploadLine({ upload }: { upload: PhotoUploadStatus }): JSX.Element {
  const { t } = useTranslation();
  const percent = upload.bytesTotal > 0 ? Math.floor((upload.bytesSent / upload.bytesTotal) * 100) : 0;
  const label =
    upload.state === 'uploading'
      ? t('photos.upload.uploading', { percent })
      : upload.state === 'error'
        ? upload.error
          ? t('photos.upload.error', { error: upload.error })
          : t('photos.upload.errorNoReason')
        : t(`photos.upload.${upload.state}`);
  return (
    <div className={`photo-upload is-${upload.state}`}>
      <progress className="photo-progress" data-testid="photo-progress" max={100} value={upload.state === 'done' ? 100 : percent} aria-label={label} />
      <span className="photo-upload-label">{label}</span>
    </div>
  );
}

/** A text field of a photo, controlled by the photos map: typing writes the field, remote edits show at once. */
function PhotoTextField(props: {
  label: string;
  value: string;
  placeholder: string;
  testId?: string;
  readOnly: boolean;
  multiline?: boolean;
  inputRef?: React.RefObject<HTMLInputElement | null>;
  describedBy?: string;
  onChange: (value: string) => void;
}): JSX.Element {
  const id = useId();
  const common = {
    id,
    'data-testid': props.testId,
    className: 'photo-input',
    value: props.value,
    placeholder: props.placeholder,
    readOnly: props.readOnly,
    spellCheck: true,
    autoComplete: 'off',
    'aria-describedby': props.describedBy,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onChange(e.target.value),
  };
  return (
    <div className="photo-field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? <textarea {...common} rows={2} /> : <input {...common} ref={props.inputRef} type="text" />}
    </div>
  );
}

function PhotoItem({
  photo,
  index,
  count,
  panel,
  readOnly,
  focusRequest,
  onMoved,
}: {
  photo: StoryPhoto;
  index: number;
  count: number;
  panel: PhotoPanel;
  readOnly: boolean;
  focusRequest: boolean;
  onMoved: (photoId: string) => void;
}): JSX.Element {
  const { t, i18n } = useTranslation();
  const [editor] = useLexicalComposerContext();
  // Select the stored object (stable between renders); the pending default is made here.
  const known = usePhotoState((s) => s.uploads[photo.sha256]);
  const upload = known ?? uploadStateOf({ uploads: {} }, photo.sha256);
  const itemRef = useRef<HTMLLIElement>(null);
  const creditRef = useRef<HTMLInputElement>(null);
  const warningId = useId();
  const noCredit = missingCredit(photo);
  const name = photo.caption || photo.credit || `#${index + 1}`;

  // After a move, the moved item keeps the focus (React moved its element).
  useEffect(() => {
    if (focusRequest) itemRef.current?.focus();
  }, [focusRequest, index]);

  const move = (delta: -1 | 1) => {
    if (panel.move(photo.id, delta)) onMoved(photo.id);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>) => {
    if (!e.altKey || readOnly || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(e.key === 'ArrowUp' ? -1 : 1);
  };
  const applyPreset = (preset: string) => {
    panel.setField(photo.id, 'credit', preset);
    // The caret goes to the end, after "ANTARA/", where the photographer's name goes.
    requestAnimationFrame(() => {
      const input = creditRef.current;
      if (!input) return;
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    });
  };
  const remove = () => {
    const undo = panel.remove(photo.id);
    useApp.getState().showNotice({ message: t('photos.removed'), action: { label: t('photos.undo'), run: undo } });
  };
  const taken = photo.dateTaken ? new Date(photo.dateTaken) : null;

  return (
    <li
      ref={itemRef}
      className={`photo-item${photo.featured ? ' is-featured' : ''}${noCredit ? ' is-missing-credit' : ''}`}
      data-testid="photo-item"
      data-photo-id={photo.id}
      data-sha256={photo.sha256}
      data-upload={upload.state}
      tabIndex={-1}
      aria-label={t('photos.section') + ` ${index + 1}`}
      onKeyDown={onKeyDown}
    >
      <div className="photo-thumb">
        <PhotoImage sha256={photo.sha256} variant="thumb" alt={photo.caption || t('photos.thumbAlt')} width={photo.width} height={photo.height} />
        <UploadLine upload={upload} />
      </div>
      <div className="photo-fields">
        <PhotoTextField
          label={t('photos.caption')}
          testId="photo-caption"
          value={photo.caption}
          placeholder={t('photos.captionPlaceholder')}
          readOnly={readOnly}
          multiline
          onChange={(v) => panel.setField(photo.id, 'caption', v)}
        />
        <PhotoTextField
          label={t('photos.credit')}
          testId="photo-credit"
          value={photo.credit}
          placeholder={t('photos.creditPlaceholder')}
          readOnly={readOnly}
          inputRef={creditRef}
          describedBy={noCredit ? warningId : undefined}
          onChange={(v) => panel.setField(photo.id, 'credit', v)}
        />
        <div className="photo-presets" role="group" aria-label={t('photos.presets')}>
          {CREDIT_PRESETS.map((preset) => (
            <button
              key={preset}
              type="button"
              className="btn btn-small btn-ghost"
              data-testid="photo-credit-preset"
              title={t('photos.presetHint', { preset })}
              disabled={readOnly}
              onClick={() => applyPreset(preset)}
            >
              {preset}
            </button>
          ))}
        </div>
        {noCredit ? (
          <p id={warningId} className="photo-warning" data-testid="photo-missing-credit">
            <Icon name="alert" size={14} />
            {t('photos.missingCredit')}
          </p>
        ) : null}
        <PhotoTextField
          label={t('photos.photographer')}
          value={photo.photographer}
          placeholder={t('photos.photographerPlaceholder')}
          readOnly={readOnly}
          onChange={(v) => panel.setField(photo.id, 'photographer', v)}
        />
        {taken && !Number.isNaN(taken.getTime()) ? (
          <p className="photo-meta">{t('photos.dateTaken', { date: taken.toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) })}</p>
        ) : null}
        <div className="photo-actions">
          <label className="photo-featured" title={t('photos.featuredHint')}>
            <input
              type="checkbox"
              data-testid="photo-featured"
              checked={photo.featured}
              disabled={readOnly}
              onChange={(e) => panel.setFeatured(photo.id, e.target.checked)}
            />
            <span>{t('photos.featured')}</span>
          </label>
          <span className="bar-spacer" />
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="photo-insert"
            title={t('photos.insertHint')}
            disabled={readOnly}
            // Keep the body's caret: the click must not take the selection away first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => insertPhotosIntoBody(editor, [photo.id])}
          >
            <Icon name="insert" size={16} />
            <span>{t('photos.insert')}</span>
          </button>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="photo-move-up"
            aria-label={t('photos.moveUp')}
            title={`${t('photos.moveUp')} (Alt+↑)`}
            disabled={readOnly || index === 0}
            onClick={() => move(-1)}
          >
            <Icon name="up" size={16} />
          </button>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="photo-move-down"
            aria-label={t('photos.moveDown')}
            title={`${t('photos.moveDown')} (Alt+↓)`}
            disabled={readOnly || index === count - 1}
            onClick={() => move(1)}
          >
            <Icon name="down" size={16} />
          </button>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="photo-remove"
            aria-label={t('photos.removeNamed', { name })}
            title={t('photos.remove')}
            disabled={readOnly}
            onClick={remove}
          >
            <Icon name="trash" size={16} />
          </button>
        </div>
      </div>
    </li>
  );
}

/**
 * The story's photos: attach (file picker `photo-attach-input`; files dropped on the story
 * go through StoryPhotoDrop, drops and pastes in the body through PhotoDropPastePlugin), then caption,
 * credit with presets, photographer, featured, order, insert into the body, remove.
 */
export function PhotoPanelView({ readOnly }: { readOnly: boolean }): JSX.Element | null {
  const { t } = useTranslation();
  const panel = usePhotoPanel();
  const photos = usePhotoState((s) => s.photos);
  const [open, setOpen] = useState(true);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const hintId = useId();
  if (!panel) return null;

  const attach = (files: FileList | null) => {
    if (!files || files.length === 0 || readOnly) return;
    void panel.attachFiles(Array.from(files));
  };
  const onMoved = (photoId: string) => {
    setFocusId(photoId);
    const list = panel.store.getState().photos;
    setAnnounce(t('photos.moved', { position: list.findIndex((p) => p.id === photoId) + 1, total: list.length }));
  };

  return (
    <section
      className="photo-panel"
      data-testid="photo-panel"
      aria-label={t('photos.section')}
    >
      <header className="photo-panel-head">
        <h2>
          <Icon name="photo" size={16} />
          <span>{t('photos.section')}</span>
          {photos.length > 0 ? <span className="photo-count">{t('photos.count', { count: photos.length })}</span> : null}
        </h2>
        <span className="bar-spacer" />
        <label className={`btn btn-small${readOnly ? ' is-disabled' : ''}`}>
          <Icon name="plus" size={16} />
          <span>{t('photos.attach')}</span>
          <input
            type="file"
            className="visually-hidden"
            data-testid="photo-attach-input"
            accept={ACCEPT}
            multiple
            disabled={readOnly}
            aria-describedby={hintId}
            onChange={(e) => {
              attach(e.target.files);
              // The same file may be picked again later (after removing it, say).
              e.target.value = '';
            }}
          />
        </label>
        <button type="button" className="btn btn-small btn-ghost" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? t('photos.hide') : t('photos.show')}
        </button>
      </header>
      <p id={hintId} className="field-hint">
        {t('photos.hint')}
      </p>
      <AttachProgress />
      <RefusalList panel={panel} />
      {open ? (
        photos.length === 0 ? (
          <p className="photo-empty">{t('photos.empty')}</p>
        ) : (
          <>
            <ol className="photo-list" aria-describedby={`${hintId}-move`}>
              {photos.map((photo, index) => (
                <PhotoItem
                  key={photo.id}
                  photo={photo}
                  index={index}
                  count={photos.length}
                  panel={panel}
                  readOnly={readOnly}
                  focusRequest={focusId === photo.id}
                  onMoved={onMoved}
                />
              ))}
            </ol>
            <p id={`${hintId}-move`} className="field-hint">
              {t('photos.moveHint')}
            </p>
          </>
        )
      ) : null}
      <span className="visually-hidden" role="status">
        {announce}
      </span>
    </section>
  );
}
