import {
  $applyNodeReplacement,
  DecoratorNode,
  type DOMExportOutput,
  type EditorConfig,
  type LexicalEditor,
  type LexicalNode,
  type NodeKey,
  type SerializedLexicalNode,
  type Spread,
} from 'lexical';

/**
 * A photo placed in the story body. The node carries only the photo's id: caption, credit
 * and the bytes' sha256 live in the story's `photos` map (shared/doc/photos.ts), so editing
 * a caption in the photo panel changes every place the photo shows, and a body read by core
 * or the server needs nothing but this id to find the photo. Defined without React, like the
 * page break, so every reader of a body registers the same node.
 */
export const PHOTO_NODE_TYPE = 'photo';

export type SerializedPhotoNode = Spread<{ photoId: string }, SerializedLexicalNode>;

/**
 * How an editor shows a photo, under the theme key `photo`: the renderer returns a React
 * element drawing the web rendition with caption and credit under it (read from the photos
 * map). Without it (headless readers) the node draws an empty placeholder block.
 */
export interface PhotoNodeTheme {
  /** `nodeKey` lets the drawing select and delete its node (click, then Delete or Backspace). */
  decorate(photoId: string, nodeKey: string): unknown;
}

function photoTheme(config: EditorConfig | undefined): PhotoNodeTheme | null {
  const theme: unknown = config?.theme?.photo;
  if (typeof theme !== 'object' || theme === null) return null;
  return typeof (theme as Partial<PhotoNodeTheme>).decorate === 'function' ? (theme as PhotoNodeTheme) : null;
}

/** The few DOM calls createDOM needs; shared/ compiles without DOM types. */
interface MinimalDocument {
  createElement(tag: string): MinimalElement;
}
interface MinimalElement {
  className: string;
  setAttribute(name: string, value: string): void;
}

function documentOf(editor: LexicalEditor): MinimalDocument {
  const root = editor.getRootElement() as { ownerDocument?: MinimalDocument } | null;
  const doc = root?.ownerDocument ?? (globalThis as { document?: MinimalDocument }).document;
  if (!doc) throw new Error('PhotoNode.createDOM needs a DOM');
  return doc;
}

function buildElement(doc: MinimalDocument, tag: string, photoId: string): MinimalElement {
  const el = doc.createElement(tag);
  el.className = 'photo-block';
  el.setAttribute('data-photo-id', photoId);
  el.setAttribute('contenteditable', 'false');
  return el;
}

type DOMElement = ReturnType<DecoratorNode<unknown>['createDOM']>;

export class PhotoNode extends DecoratorNode<unknown> {
  /** Synced by @lexical/yjs as a property of the decorator's Y.XmlElement. */
  __photoId: string;

  static override getType(): string {
    return PHOTO_NODE_TYPE;
  }
  static override clone(node: PhotoNode): PhotoNode {
    return new PhotoNode(node.__photoId, node.__key);
  }
  static override importJSON(json: SerializedPhotoNode): PhotoNode {
    return $createPhotoNode(typeof json.photoId === 'string' ? json.photoId : '');
  }

  /** Arguments default: @lexical/yjs creates nodes with no arguments, then sets the properties. */
  constructor(photoId = '', key?: NodeKey) {
    super(key);
    this.__photoId = photoId;
  }

  getPhotoId(): string {
    return this.getLatest().__photoId;
  }

  override exportJSON(): SerializedPhotoNode {
    return { ...super.exportJSON(), type: PHOTO_NODE_TYPE, version: 1, photoId: this.getPhotoId() };
  }
  override createDOM(_config: EditorConfig, editor: LexicalEditor): DOMElement {
    return buildElement(documentOf(editor), 'div', this.__photoId) as unknown as DOMElement;
  }
  override updateDOM(prev: PhotoNode, dom: DOMElement): boolean {
    if (prev.__photoId !== this.__photoId) (dom as unknown as MinimalElement).setAttribute('data-photo-id', this.__photoId);
    return false;
  }
  /** HTML export names the photo; whoever publishes puts the rendition and credit in. */
  override exportDOM(editor: LexicalEditor): DOMExportOutput {
    return { element: buildElement(documentOf(editor), 'figure', this.getPhotoId()) as unknown as DOMElement };
  }
  /** A photo has no words of its own (the caption lives in the photos map); blocks around it stay apart. */
  override getTextContent(): string {
    return '';
  }
  override isInline(): false {
    return false;
  }
  override decorate(_editor: LexicalEditor, config: EditorConfig): unknown {
    return photoTheme(config)?.decorate(this.__photoId, this.__key) ?? null;
  }
}

export function $createPhotoNode(photoId: string): PhotoNode {
  return $applyNodeReplacement(new PhotoNode(photoId));
}

export function $isPhotoNode(node: LexicalNode | null | undefined): node is PhotoNode {
  return node instanceof PhotoNode;
}
