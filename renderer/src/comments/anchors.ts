import { $isMarkNode, $unwrapMarkNode, MarkNode } from '@lexical/mark';
import { $getNodeByKey, $nodesOfType, type NodeKey } from 'lexical';

/**
 * Where review comments sit in the body. A thread is anchored by MarkNodes carrying its id
 * (and nothing else): the words inside them are the thread's passage. A thread whose marks are
 * gone, or hold no text any more (someone deleted the words, offline too), is detached: the UI
 * keeps it and shows the quote it was opened on.
 */

/** Thread id → the text its marks hold now, in document order (runs joined with a space). */
export type Anchors = ReadonlyMap<string, string>;

/** Reads every thread's marked text from the current editor state (call inside read/update). */
export function $collectAnchors(): Map<string, string> {
  return anchorsOfMarks($nodesOfType(MarkNode));
}

/** Like $collectAnchors, for the marks with the given keys (those a mutation listener tracks). */
export function $collectAnchorsOf(keys: Iterable<NodeKey>): Map<string, string> {
  const marks: MarkNode[] = [];
  for (const key of keys) {
    const node = $getNodeByKey(key);
    if ($isMarkNode(node) && node.isAttached()) marks.push(node);
  }
  return anchorsOfMarks(marks);
}

function anchorsOfMarks(marks: MarkNode[]): Map<string, string> {
  const runs = new Map<string, Array<{ node: MarkNode; text: string }>>();
  for (const mark of marks) {
    if (!mark.isAttached()) continue;
    const text = mark.getTextContent();
    if (text.trim() === '') continue; // a mark emptied by a merge anchors nothing
    for (const id of mark.getIDs()) {
      let list = runs.get(id);
      if (!list) runs.set(id, (list = []));
      list.push({ node: mark, text });
    }
  }
  const anchors = new Map<string, string>();
  for (const [id, list] of runs) {
    list.sort((a, b) => (a.node.isBefore(b.node) ? -1 : b.node.isBefore(a.node) ? 1 : 0));
    anchors.set(id, list.map((r) => r.text).join(' '));
  }
  return anchors;
}

/** Keys of the marks that carry `threadId` (to highlight or scroll to its passage). */
export function $markKeysOf(threadId: string, keys: Iterable<NodeKey>): NodeKey[] {
  const out: NodeKey[] = [];
  for (const key of keys) {
    const node = $getNodeByKey(key);
    if ($isMarkNode(node) && node.isAttached() && node.hasID(threadId)) out.push(key);
  }
  return out;
}

/** Takes `threadId` off every mark carrying it (a comment that could not be posted leaves no anchor behind). */
export function $removeAnchor(threadId: string): void {
  for (const mark of $nodesOfType(MarkNode)) {
    if (!mark.hasID(threadId)) continue;
    mark.deleteID(threadId);
    if (mark.getIDs().length === 0) $unwrapMarkNode(mark);
  }
}
