import { createHeadlessEditor } from '@lexical/headless';
import { $createLinkNode } from '@lexical/link';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { $createHeadingNode, $createQuoteNode, type HeadingTagType } from '@lexical/rich-text';
import { createYjsBinding, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Provider } from '@lexical/yjs';
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  type ElementNode,
  type LexicalEditor,
  type LexicalNode,
  type SerializedEditorState,
  type TextFormatType,
} from 'lexical';
import * as Y from 'yjs';
import { BODY_ROOT } from '../doc/storyDoc';
import { STORY_BODY_NODES } from './nodes';
import { $createPageBreakNode } from './pageBreakNode';
import { $createPhotoNode } from './photoNode';

/**
 * Reading and writing a story body without a DOM or React: a headless Lexical editor bound
 * to a Y.Doc through @lexical/yjs, wired the way CollaborationPlugin wires it (Lexical →
 * Yjs on every update, Yjs → Lexical through observeDeep). Core, the server, tests and
 * benchmarks use it so their bodies are byte-for-byte what the editor itself writes.
 */

/** A run of text; plain strings are unformatted. */
export type InlineRun = string | { text: string; format?: TextFormatType[]; href?: string };

export type BodyBlock =
  | { type: 'paragraph'; children: InlineRun[] }
  | { type: 'heading'; tag: HeadingTagType; children: InlineRun[] }
  | { type: 'quote'; children: InlineRun[] }
  | { type: 'list'; listType: 'bullet' | 'number'; items: InlineRun[][] }
  | { type: 'page-break' }
  /** A photo of the story's `photos` map, by id. */
  | { type: 'photo'; photoId: string };

export interface StoryBodyRead {
  /** Lexical's own serialization of the body. */
  json: SerializedEditorState;
  /** $getRoot().getTextContent(): what Lexical calls the plain text. */
  text: string;
}

/**
 * Replaces the body of `doc` with `blocks`, exactly as an editor bound to it would, and
 * returns the Yjs update that was applied (push it to core as it is).
 */
export function writeStoryBody(doc: Y.Doc, blocks: readonly BodyBlock[]): Uint8Array {
  return withBoundEditor(doc, (editor) => {
    editor.update(
      () => {
        const root = $getRoot();
        root.clear();
        for (const block of blocks) root.append($createBlock(block));
        if (root.getChildrenSize() === 0) root.append($createParagraphNode());
      },
      { discrete: true },
    );
  });
}

/**
 * Runs `$edit` inside an update of a headless editor bound to `doc` (use Lexical's $
 * functions in it, as a plugin would) and returns the Yjs update it produced.
 */
export function editStoryBody(doc: Y.Doc, $edit: () => void): Uint8Array {
  return withBoundEditor(doc, (editor) => editor.update($edit, { discrete: true }));
}

/** The body of `doc` as Lexical sees it. `doc` is not modified. */
export function readStoryBody(doc: Y.Doc): StoryBodyRead {
  let read: StoryBodyRead | undefined;
  withBoundEditor(doc, (editor) => {
    read = editor.getEditorState().read(() => ({ json: editor.getEditorState().toJSON(), text: $getRoot().getTextContent() }));
  });
  return read!;
}

/**
 * Runs `edit` on a headless editor holding the body of `doc`, then applies what the edit
 * changed to `doc` and returns that update (empty-ish when nothing changed). The editor
 * works on a scratch copy, so a Y.Doc already filled before binding reads correctly
 * (a Y.Doc filled before the binding listens would show an empty editor).
 */
function withBoundEditor(doc: Y.Doc, edit: (editor: LexicalEditor) => void): Uint8Array {
  const scratch = new Y.Doc();
  const editor = createHeadlessEditor({
    namespace: 'story-body-headless',
    nodes: [...STORY_BODY_NODES],
    onError: (error) => {
      throw error;
    },
  });
  const binding = createYjsBinding({ editor, id: 'headless', doc: scratch, docMap: new Map([['headless', scratch]]), rootName: BODY_ROOT });
  const provider = silentProvider();
  const sharedRoot = binding.root.getSharedType();
  const onYjs = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => {
    if (transaction.origin !== binding) syncYjsChangesToLexical(binding, provider, events as never, false);
  };
  sharedRoot.observeDeep(onYjs);
  const offUpdate = editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
    syncLexicalUpdateToYjs(binding, provider, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
  });
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
    commitPending(editor);
    const before = Y.encodeStateVector(doc);
    edit(editor);
    commitPending(editor);
    const update = Y.encodeStateAsUpdate(scratch, before);
    Y.applyUpdate(doc, update);
    return update;
  } finally {
    offUpdate();
    sharedRoot.unobserveDeep(onYjs);
    scratch.destroy();
  }
}

/** Remote (Yjs → Lexical) changes commit asynchronously; a discrete no-op update commits them now. */
function commitPending(editor: LexicalEditor): void {
  editor.update(() => {}, { discrete: true });
}

function $createBlock(block: BodyBlock): LexicalNode {
  switch (block.type) {
    case 'paragraph':
      return $appendRuns($createParagraphNode(), block.children);
    case 'heading':
      return $appendRuns($createHeadingNode(block.tag), block.children);
    case 'quote':
      return $appendRuns($createQuoteNode(), block.children);
    case 'list': {
      const list = $createListNode(block.listType);
      for (const item of block.items) list.append($appendRuns($createListItemNode(), item));
      return list;
    }
    case 'page-break':
      return $createPageBreakNode();
    case 'photo':
      return $createPhotoNode(block.photoId);
  }
}

function $appendRuns<T extends ElementNode>(parent: T, runs: readonly InlineRun[]): T {
  for (const run of runs) {
    if (typeof run === 'string') {
      parent.append($createTextNode(run));
      continue;
    }
    const text = $createTextNode(run.text);
    for (const f of run.format ?? []) text.toggleFormat(f);
    parent.append(run.href ? $createLinkNode(run.href).append(text) : text);
  }
  return parent;
}

/** A provider with no peers and no local presence: the binding's cursor code does nothing. */
function silentProvider(): Provider {
  const awareness = {
    getLocalState: () => null,
    getStates: () => new Map(),
    on: () => {},
    off: () => {},
    setLocalState: () => {},
    setLocalStateField: () => {},
  };
  return {
    awareness,
    connect: () => {},
    disconnect: () => {},
    on: () => {},
    off: () => {},
  } as Provider;
}
