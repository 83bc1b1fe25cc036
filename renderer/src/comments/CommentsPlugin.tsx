import { $getMarkIDs, $isMarkNode, $wrapSelectionInMarkNode, MarkNode } from '@lexical/mark';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { mergeRegister } from '@lexical/utils';
import {
  $getNodeByKey,
  $getSelection,
  $isRangeSelection,
  $isTextNode,
  $setSelection,
  CLICK_COMMAND,
  COMMAND_PRIORITY_LOW,
  KEY_DOWN_COMMAND,
  type NodeKey,
  type RangeSelection,
} from 'lexical';
import { useEffect } from 'react';
import { $collectAnchorsOf, $markKeysOf, $removeAnchor } from './anchors';
import { isCommentShortcut } from './commentShortcut';
import { activateThread, resetComments, startComment, useComments, type CommentEditorBridge } from './commentsStore';
import { useReview } from '../state/reviewStore';

const ACTIVE_CLASS = 'is-active-comment';
const RESOLVED_CLASS = 'is-resolved-comment';

function sameAnchors(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * Comment anchors in the body editor: tracks the marks (MarkNode, thread ids only) to tell the
 * panel which threads still have words in the text, lets the panel mark a selection and
 * highlight a passage, and opens a comment on Ctrl/Cmd+Alt+M. Mount inside the composer.
 */
export function CommentsPlugin(): null {
  const [editor] = useLexicalComposerContext();

  useEffect(() => {
    const markKeys = new Set<NodeKey>();
    let saved: RangeSelection | null = null;
    let highlighted: string | null = null;

    const paintMarks = () => {
      const threads = useReview.getState().review?.threads ?? [];
      const resolved = new Set(threads.filter((t) => t.resolved).map((t) => t.threadId));
      editor.getEditorState().read(() => {
        for (const key of markKeys) {
          const element = editor.getElementByKey(key);
          const node = $getNodeByKey(key);
          if (!element || !$isMarkNode(node)) continue;
          const ids = node.getIDs();
          element.classList.toggle(ACTIVE_CLASS, highlighted !== null && ids.includes(highlighted));
          element.classList.toggle(RESOLVED_CLASS, ids.length > 0 && ids.every((id) => resolved.has(id)));
        }
      });
    };

    const refreshAnchors = () => {
      const anchors = editor.getEditorState().read(() => $collectAnchorsOf(markKeys));
      if (!sameAnchors(anchors, useComments.getState().anchors)) useComments.setState({ anchors });
      paintMarks();
    };

    const bridge: CommentEditorBridge = {
      captureSelection() {
        return editor.getEditorState().read(() => {
          const selection = $getSelection();
          if (!$isRangeSelection(selection) || selection.isCollapsed()) return null;
          saved = selection.clone();
          return { text: selection.getTextContent(), canMark: editor.isEditable() };
        });
      },
      wrap(threadId) {
        const selection = saved;
        if (!selection || !editor.isEditable()) return false;
        let done = false;
        editor.update(
          () => {
            const current = selection.clone();
            // The captured points may name nodes a remote edit removed meanwhile.
            if (!current.anchor.getNode().isAttached() || !current.focus.getNode().isAttached()) return;
            $setSelection(current);
            $wrapSelectionInMarkNode(current, current.isBackward(), threadId);
            done = true;
          },
          { discrete: true },
        );
        return done;
      },
      unwrap(threadId) {
        editor.update(() => $removeAnchor(threadId), { discrete: true });
      },
      highlight(threadId) {
        highlighted = threadId;
        paintMarks();
        if (!threadId) return;
        const first = editor.getEditorState().read(() => $markKeysOf(threadId, markKeys))[0];
        const element = first ? editor.getElementByKey(first) : null;
        element?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
      },
    };
    useComments.setState({ bridge });

    const offReview = useReview.subscribe((s, prev) => {
      if (s.review?.threads !== prev.review?.threads) paintMarks();
    });

    const unregister = mergeRegister(
      editor.registerMutationListener(
        MarkNode,
        (mutations) => {
          for (const [key, mutation] of mutations) {
            if (mutation === 'destroyed') markKeys.delete(key);
            else markKeys.add(key);
          }
          refreshAnchors();
        },
        { skipInitialization: false },
      ),
      editor.registerUpdateListener(({ editorState }) => {
        const canComment = editorState.read(() => {
          const selection = $getSelection();
          return $isRangeSelection(selection) && !selection.isCollapsed();
        });
        if (canComment !== useComments.getState().canComment) useComments.setState({ canComment });
      }),
      editor.registerCommand(
        KEY_DOWN_COMMAND,
        (event) => {
          if (!isCommentShortcut(event)) return false;
          event.preventDefault();
          startComment();
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
      editor.registerCommand(
        CLICK_COMMAND,
        () => {
          // A click inside a commented passage shows its thread.
          const ids = editor.getEditorState().read(() => {
            const selection = $getSelection();
            if (!$isRangeSelection(selection) || !selection.isCollapsed()) return null;
            const node = selection.anchor.getNode();
            return $isTextNode(node) ? $getMarkIDs(node, selection.anchor.offset) : null;
          });
          const known = new Set(useReview.getState().review?.threads.map((t) => t.threadId) ?? []);
          const id = ids?.find((i) => known.has(i));
          if (id) activateThread(id);
          return false;
        },
        COMMAND_PRIORITY_LOW,
      ),
    );
    return () => {
      unregister();
      offReview();
      if (useComments.getState().bridge === bridge) useComments.setState({ bridge: null });
      resetComments();
    };
  }, [editor]);

  return null;
}
