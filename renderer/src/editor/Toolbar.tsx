import { $toggleLink } from '@lexical/link';
import { INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, REMOVE_LIST_COMMAND } from '@lexical/list';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createHeadingNode, $createQuoteNode } from '@lexical/rich-text';
import { $setBlocksType } from '@lexical/selection';
import { $insertNodeToNearestRoot, mergeRegister } from '@lexical/utils';
import {
  $createParagraphNode,
  $getSelection,
  $isRangeSelection,
  $setSelection,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  REDO_COMMAND,
  UNDO_COMMAND,
  type BaseSelection,
  type TextFormatType,
} from 'lexical';
import { useEffect, useId, useRef, useState, type JSX, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { $createPageBreakNode } from '../../../shared/editor/pageBreakNode';
import { Icon, type IconName } from '../ui/icons';
import { $readToolbarState, EMPTY_TOOLBAR_STATE, toolbarKey, type BlockKind, type ToolbarState } from './toolbarState';

function ToolButton(props: {
  label: string;
  testId: string;
  active?: boolean;
  disabled?: boolean;
  /** The document is not loaded yet: nothing may write to it. */
  locked?: boolean;
  icon?: IconName;
  text?: ReactNode;
  className?: string;
  onClick: () => void;
}): JSX.Element {
  return (
    <button
      type="button"
      className={`tool-btn ${props.className ?? ''}${props.active ? ' is-active' : ''}`}
      data-testid={props.testId}
      aria-label={props.label}
      aria-pressed={props.active === undefined ? undefined : props.active}
      title={props.label}
      disabled={props.disabled || props.locked}
      // Keep the caret in the editor: the button must not take focus on mouse down.
      onMouseDown={(e) => e.preventDefault()}
      onClick={props.onClick}
    >
      {props.icon ? <Icon name={props.icon} /> : null}
      {props.text ? <span className="tool-text">{props.text}</span> : null}
    </button>
  );
}

function normaliseUrl(raw: string): string | null {
  const url = raw.trim();
  if (!url) return null;
  if (/^(https?:|mailto:)/i.test(url)) return url;
  if (/^[\w.-]+@[\w.-]+\.\w+$/.test(url)) return `mailto:${url}`;
  return `https://${url}`;
}

/** Formatting toolbar for the body: block types, inline formats, lists, quote, link, page break, undo/redo. */
export function Toolbar(): JSX.Element {
  const { t } = useTranslation();
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<ToolbarState>(EMPTY_TOOLBAR_STATE);
  const [editable, setEditable] = useState(() => editor.isEditable());
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkUrl, setLinkUrl] = useState('');
  const savedSelection = useRef<BaseSelection | null>(null);
  const linkInputId = useId();

  useEffect(() => {
    let lastKey = toolbarKey(EMPTY_TOOLBAR_STATE);
    return mergeRegister(
      editor.registerUpdateListener(({ editorState }) => {
        const next = editorState.read($readToolbarState);
        const key = toolbarKey(next);
        if (key !== lastKey) {
          lastKey = key;
          setState(next);
        }
      }),
      editor.registerEditableListener(setEditable),
      editor.registerCommand(CAN_UNDO_COMMAND, (v) => (setCanUndo(v), false), COMMAND_PRIORITY_LOW),
      editor.registerCommand(CAN_REDO_COMMAND, (v) => (setCanRedo(v), false), COMMAND_PRIORITY_LOW),
    );
  }, [editor]);

  const setBlock = (kind: BlockKind) => {
    editor.update(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return;
      const same = state.block === kind;
      if (kind === 'paragraph' || same) $setBlocksType(selection, () => $createParagraphNode());
      else if (kind === 'h2' || kind === 'h3') $setBlocksType(selection, () => $createHeadingNode(kind));
      else if (kind === 'quote') $setBlocksType(selection, () => $createQuoteNode());
    });
    editor.focus();
  };

  const toggleList = (kind: 'bullet' | 'number') => {
    if (state.block === kind) editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
    else editor.dispatchCommand(kind === 'bullet' ? INSERT_UNORDERED_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined);
    editor.focus();
  };

  const format = (f: TextFormatType) => {
    editor.dispatchCommand(FORMAT_TEXT_COMMAND, f);
    editor.focus();
  };

  const openLink = () => {
    savedSelection.current = editor.getEditorState().read(() => $getSelection()?.clone() ?? null);
    setLinkUrl('');
    setLinkOpen(true);
  };

  const applyLink = (url: string | null) => {
    const selection = savedSelection.current;
    setLinkOpen(false);
    editor.update(() => {
      if (selection) $setSelection(selection.clone());
      $toggleLink(url);
    });
    editor.focus();
  };

  const insertPageBreak = () => {
    editor.update(() => {
      $insertNodeToNearestRoot($createPageBreakNode());
    });
    editor.focus();
  };

  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
        <div className="tool-group">
          <ToolButton locked={!editable} testId="toolbar-paragraph" label={t('toolbar.paragraph')} text="¶" active={state.block === 'paragraph'} onClick={() => setBlock('paragraph')} />
          <ToolButton locked={!editable} testId="toolbar-h2" label={t('toolbar.h2')} text="H2" active={state.block === 'h2'} onClick={() => setBlock('h2')} />
          <ToolButton locked={!editable} testId="toolbar-h3" label={t('toolbar.h3')} text="H3" active={state.block === 'h3'} onClick={() => setBlock('h3')} />
        </div>
        <div className="tool-group">
          <ToolButton locked={!editable} testId="toolbar-bold" label={t('toolbar.bold')} text={<b>B</b>} active={state.bold} onClick={() => format('bold')} />
          <ToolButton locked={!editable} testId="toolbar-italic" label={t('toolbar.italic')} text={<i>I</i>} active={state.italic} onClick={() => format('italic')} />
          <ToolButton locked={!editable} testId="toolbar-underline" label={t('toolbar.underline')} text={<u>U</u>} active={state.underline} onClick={() => format('underline')} />
        </div>
        <div className="tool-group">
          <ToolButton locked={!editable} testId="toolbar-bullet" label={t('toolbar.bullet')} icon="bulletList" active={state.block === 'bullet'} onClick={() => toggleList('bullet')} />
          <ToolButton locked={!editable} testId="toolbar-numbered" label={t('toolbar.numbered')} icon="numberList" active={state.block === 'number'} onClick={() => toggleList('number')} />
          <ToolButton locked={!editable} testId="toolbar-quote" label={t('toolbar.quote')} icon="quote" active={state.block === 'quote'} onClick={() => setBlock('quote')} />
          <ToolButton locked={!editable} testId="toolbar-link" label={t('toolbar.link')} icon="link" active={state.link || linkOpen} onClick={() => (state.link ? applyLink(null) : openLink())} />
        </div>
        <div className="tool-group">
          <ToolButton
            locked={!editable}
            testId="insert-page-break"
            label={t('toolbar.pageBreak')}
            icon="pageBreak"
            text={t('toolbar.pageBreakShort')}
            className="with-text"
            onClick={insertPageBreak}
          />
        </div>
        <div className="tool-group tool-group-end">
          <ToolButton locked={!editable} testId="toolbar-undo" label={t('toolbar.undo')} icon="undo" disabled={!canUndo} onClick={() => editor.dispatchCommand(UNDO_COMMAND, undefined)} />
          <ToolButton locked={!editable} testId="toolbar-redo" label={t('toolbar.redo')} icon="redo" disabled={!canRedo} onClick={() => editor.dispatchCommand(REDO_COMMAND, undefined)} />
        </div>
      </div>
      {linkOpen ? (
        <form
          className="link-editor"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            applyLink(normaliseUrl(linkUrl));
          }}
        >
          <label htmlFor={linkInputId}>{t('link.url')}</label>
          <input
            id={linkInputId}
            data-testid="link-url"
            type="url"
            autoFocus
            placeholder={t('link.placeholder')}
            value={linkUrl}
            onChange={(e) => setLinkUrl(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setLinkOpen(false);
                editor.focus();
              }
            }}
          />
          <button type="submit" className="btn btn-small btn-primary">
            {t('link.apply')}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setLinkOpen(false);
              editor.focus();
            }}
          >
            {t('link.cancel')}
          </button>
        </form>
      ) : null}
    </div>
  );
}
