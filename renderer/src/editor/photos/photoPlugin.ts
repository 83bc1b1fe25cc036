import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { DRAG_DROP_PASTE } from '@lexical/rich-text';
import { $insertNodeToNearestRoot } from '@lexical/utils';
import { COMMAND_PRIORITY_LOW, type LexicalEditor } from 'lexical';
import { useEffect } from 'react';
import { $createPhotoNode } from '../../../../shared/editor/photoNode';
import { usePhotoPanel } from './photoContext';

/** Puts photos into the body at the caret (after the block holding it), in the given order; at the end when the body has no caret. */
export function insertPhotosIntoBody(editor: LexicalEditor, photoIds: readonly string[]): void {
  if (photoIds.length === 0) return;
  editor.update(() => {
    // Each insertion leaves the caret after the photo, so the next one follows it.
    for (const id of photoIds) $insertNodeToNearestRoot($createPhotoNode(id));
  });
}

/**
 * Files dropped onto the body or pasted into it (Lexical's rich text turns both into
 * DRAG_DROP_PASTE, a drop after moving the caret to where the files fell; a paste that
 * also carries text stays a text paste): attached like picked files, then placed in the
 * body at the caret.
 */
export function PhotoDropPastePlugin(): null {
  const [editor] = useLexicalComposerContext();
  const panel = usePhotoPanel();
  useEffect(() => {
    if (!panel) return;
    return editor.registerCommand(
      DRAG_DROP_PASTE,
      (files) => {
        if (!editor.isEditable()) return true;
        void panel.attachFiles(files).then((ids) => insertPhotosIntoBody(editor, ids));
        return true;
      },
      COMMAND_PRIORITY_LOW,
    );
  }, [editor, panel]);
  return null;
}
