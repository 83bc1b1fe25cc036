import { LinkNode, AutoLinkNode } from '@lexical/link';
import { ListItemNode, ListNode } from '@lexical/list';
import { MarkNode } from '@lexical/mark';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import type { Klass, LexicalNode } from 'lexical';
import { PageBreakNode } from './pageBreakNode';
import { PhotoNode } from './photoNode';

/**
 * Every node a story body may contain. The editor, core and the server register exactly
 * this list, so a body written by one is read the same by the others.
 * MarkNode anchors review comments to the text: it carries only thread ids (the comments
 * themselves are server records, not in the document), so the anchor travels with the words
 * through edits and merges.
 */
export const STORY_BODY_NODES: ReadonlyArray<Klass<LexicalNode>> = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  LinkNode,
  AutoLinkNode,
  PageBreakNode,
  PhotoNode,
  MarkNode,
];
