import { $isLinkNode } from '@lexical/link';
import { $isListNode, ListNode } from '@lexical/list';
import { $isHeadingNode, $isQuoteNode } from '@lexical/rich-text';
import { $findMatchingParent, $getNearestNodeOfType } from '@lexical/utils';
import { $getSelection, $isRangeSelection, $isRootOrShadowRoot, type LexicalNode } from 'lexical';

export type BlockKind = 'paragraph' | 'h2' | 'h3' | 'quote' | 'bullet' | 'number' | 'other';

export interface ToolbarState {
  block: BlockKind;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  link: boolean;
}

export const EMPTY_TOOLBAR_STATE: ToolbarState = { block: 'paragraph', bold: false, italic: false, underline: false, link: false };

/** Reads the formatting at the selection; call inside editorState.read(). */
export function $readToolbarState(): ToolbarState {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return EMPTY_TOOLBAR_STATE;
  const anchor = selection.anchor.getNode();
  const top =
    anchor.getKey() === 'root'
      ? anchor
      : ($findMatchingParent(anchor, (n: LexicalNode) => {
          const parent = n.getParent();
          return parent !== null && $isRootOrShadowRoot(parent);
        }) ?? anchor.getTopLevelElementOrThrow());
  let block: BlockKind = 'other';
  if ($isListNode(top)) {
    const list = $getNearestNodeOfType(anchor, ListNode) ?? top;
    block = list.getListType() === 'number' ? 'number' : list.getListType() === 'bullet' ? 'bullet' : 'other';
  } else if ($isHeadingNode(top)) {
    const tag = top.getTag();
    block = tag === 'h2' ? 'h2' : tag === 'h3' ? 'h3' : 'other';
  } else if ($isQuoteNode(top)) {
    block = 'quote';
  } else if (top.getType() === 'paragraph') {
    block = 'paragraph';
  }
  const parent = anchor.getParent();
  return {
    block,
    bold: selection.hasFormat('bold'),
    italic: selection.hasFormat('italic'),
    underline: selection.hasFormat('underline'),
    link: $isLinkNode(parent) || $isLinkNode(anchor),
  };
}

/** A compact key so React skips re-rendering the toolbar when nothing it shows changed. */
export function toolbarKey(s: ToolbarState): string {
  return `${s.block}|${+s.bold}${+s.italic}${+s.underline}${+s.link}`;
}
