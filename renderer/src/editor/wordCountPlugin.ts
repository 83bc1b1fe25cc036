import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getRoot, type NodeKey } from 'lexical';
import { useEffect } from 'react';
import { countWords } from '../../../shared/text/wordCount';
import { useEditorStatus } from '../state/editorStatusStore';

/** How long after a change the count refreshes (it updates while typing, never per keystroke). */
const REFRESH_MS = 150;

/**
 * Keeps the live word count of the body, off the keystroke path: a change only records
 * which elements are dirty and arms a timer; the recount later revisits only the
 * top-level blocks that changed (Lexical marks every ancestor of a changed node dirty),
 * so on a 20,000-word story it costs a few paragraphs, not the whole text. Blocks are
 * separated by whitespace, so the sum per block equals countWords(body text).
 */
export function WordCountPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let cache = new Map<NodeKey, number>();
    const dirty = new Set<NodeKey>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const recount = () => {
      timer = null;
      const next = new Map<NodeKey, number>();
      const total = editor.getEditorState().read(() => {
        let sum = 0;
        for (const block of $getRoot().getChildren()) {
          const key = block.getKey();
          let n = dirty.has(key) ? undefined : cache.get(key);
          if (n === undefined) n = countWords(block.getTextContent());
          next.set(key, n);
          sum += n;
        }
        return sum;
      });
      cache = next;
      dirty.clear();
      useEditorStatus.getState().setWordCount(total);
    };
    const off = editor.registerUpdateListener(({ dirtyElements, dirtyLeaves }) => {
      if (dirtyElements.size === 0 && dirtyLeaves.size === 0) return; // selection only
      for (const key of dirtyElements.keys()) dirty.add(key);
      if (timer === null) timer = setTimeout(recount, REFRESH_MS);
    });
    recount();
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [editor]);
  return null;
}
