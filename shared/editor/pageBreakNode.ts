import {
  $applyNodeReplacement,
  DecoratorNode,
  type DOMExportOutput,
  type EditorConfig,
  type LexicalEditor,
  type LexicalNode,
  type SerializedLexicalNode,
} from 'lexical';

/**
 * "Halaman Selanjutnya": the story continues on the next page (Koran Jakarta's web layout).
 * The label is publication text, printed in the article itself, so it is not translated
 * with the UI. Defined here without React so core and the server read bodies with the
 * same node set as the editor.
 */
export const PAGE_BREAK_LABEL = 'Halaman Selanjutnya';
export const PAGE_BREAK_TYPE = 'page-break';

export type SerializedPageBreakNode = SerializedLexicalNode;

/** The few DOM calls createDOM needs; shared/ compiles without DOM types. */
interface MinimalDocument {
  createElement(tag: string): MinimalElement;
}
interface MinimalElement {
  className: string;
  textContent: string | null;
  setAttribute(name: string, value: string): void;
}

function buildElement(doc: MinimalDocument): MinimalElement {
  const el = doc.createElement('div');
  el.className = 'page-break';
  el.setAttribute('data-testid', 'page-break');
  el.setAttribute('data-page-break', 'true');
  el.setAttribute('contenteditable', 'false');
  el.setAttribute('role', 'separator');
  el.textContent = PAGE_BREAK_LABEL;
  return el;
}

function documentOf(editor: LexicalEditor): MinimalDocument {
  const root = editor.getRootElement() as { ownerDocument?: MinimalDocument } | null;
  const doc = root?.ownerDocument ?? (globalThis as { document?: MinimalDocument }).document;
  if (!doc) throw new Error('PageBreakNode.createDOM needs a DOM');
  return doc;
}

export class PageBreakNode extends DecoratorNode<null> {
  static override getType(): string {
    return PAGE_BREAK_TYPE;
  }
  static override clone(node: PageBreakNode): PageBreakNode {
    return new PageBreakNode(node.__key);
  }
  static override importJSON(_json: SerializedPageBreakNode): PageBreakNode {
    return $createPageBreakNode();
  }
  override exportJSON(): SerializedPageBreakNode {
    return { ...super.exportJSON(), type: PAGE_BREAK_TYPE, version: 1 };
  }
  override createDOM(_config: EditorConfig, editor: LexicalEditor): ReturnType<DecoratorNode<null>['createDOM']> {
    return buildElement(documentOf(editor)) as unknown as ReturnType<DecoratorNode<null>['createDOM']>;
  }
  override updateDOM(): boolean {
    return false;
  }
  override exportDOM(editor: LexicalEditor): DOMExportOutput {
    return { element: this.createDOM(editor._config, editor) };
  }
  override getTextContent(): string {
    return '\n\n';
  }
  override isInline(): false {
    return false;
  }
  override decorate(): null {
    return null;
  }
}

export function $createPageBreakNode(): PageBreakNode {
  return $applyNodeReplacement(new PageBreakNode());
}

export function $isPageBreakNode(node: LexicalNode | null | undefined): node is PageBreakNode {
  return node instanceof PageBreakNode;
}
