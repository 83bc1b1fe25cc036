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
 * In the article itself (exported HTML, what core and the server read) the label is
 * publication text and stays Indonesian. Inside the editor it is a marker for the person
 * typing, so the host labels it in the UI language through the editor theme (see
 * PageBreakTheme). Defined here without React so core and the server read bodies with the
 * same node set as the editor.
 */
export const PAGE_BREAK_LABEL = 'Halaman Selanjutnya';
export const PAGE_BREAK_TYPE = 'page-break';

export type SerializedPageBreakNode = SerializedLexicalNode;

/**
 * How an editor shows the inside of a page break, under the theme key `pageBreak`.
 * shared/ has neither React nor i18n, so the host supplies it: the renderer returns a
 * component that renders the label in the UI language (and follows a language switch).
 * `decorate` is called once per page break; what it returns is what Lexical's React
 * binding renders into the break. Without it the break carries PAGE_BREAK_LABEL as text.
 */
export interface PageBreakTheme {
  decorate(): unknown;
}

function pageBreakTheme(config: EditorConfig | undefined): PageBreakTheme | null {
  const theme: unknown = config?.theme?.pageBreak;
  if (typeof theme !== 'object' || theme === null) return null;
  return typeof (theme as Partial<PageBreakTheme>).decorate === 'function' ? (theme as PageBreakTheme) : null;
}

/** The few DOM calls createDOM needs; shared/ compiles without DOM types. */
interface MinimalDocument {
  createElement(tag: string): MinimalElement;
}
interface MinimalElement {
  className: string;
  textContent: string | null;
  setAttribute(name: string, value: string): void;
}

function buildElement(doc: MinimalDocument, label: string | null): MinimalElement {
  const el = doc.createElement('div');
  el.className = 'page-break';
  el.setAttribute('data-testid', 'page-break');
  el.setAttribute('data-page-break', 'true');
  el.setAttribute('contenteditable', 'false');
  el.setAttribute('role', 'separator');
  if (label !== null) el.textContent = label;
  return el;
}

function documentOf(editor: LexicalEditor): MinimalDocument {
  const root = editor.getRootElement() as { ownerDocument?: MinimalDocument } | null;
  const doc = root?.ownerDocument ?? (globalThis as { document?: MinimalDocument }).document;
  if (!doc) throw new Error('PageBreakNode.createDOM needs a DOM');
  return doc;
}

type DOMElement = ReturnType<DecoratorNode<unknown>['createDOM']>;

export class PageBreakNode extends DecoratorNode<unknown> {
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
  override createDOM(config: EditorConfig, editor: LexicalEditor): DOMElement {
    // With a theme decoration the host renders the label into the element; else plain text.
    const label = pageBreakTheme(config) ? null : PAGE_BREAK_LABEL;
    return buildElement(documentOf(editor), label) as unknown as DOMElement;
  }
  override updateDOM(): boolean {
    return false;
  }
  /** HTML export (copy, export): always the publication text, whatever the UI language. */
  override exportDOM(editor: LexicalEditor): DOMExportOutput {
    return { element: buildElement(documentOf(editor), PAGE_BREAK_LABEL) as unknown as DOMElement };
  }
  override getTextContent(): string {
    return '\n\n';
  }
  override isInline(): false {
    return false;
  }
  override decorate(_editor: LexicalEditor, config: EditorConfig): unknown {
    return pageBreakTheme(config)?.decorate() ?? null;
  }
}

export function $createPageBreakNode(): PageBreakNode {
  return $applyNodeReplacement(new PageBreakNode());
}

export function $isPageBreakNode(node: LexicalNode | null | undefined): node is PageBreakNode {
  return node instanceof PageBreakNode;
}
