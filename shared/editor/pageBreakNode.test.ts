import { createHeadlessEditor } from '@lexical/headless';
import { $getRoot, type EditorThemeClasses, type LexicalEditor } from 'lexical';
import { describe, expect, it } from 'vitest';
import { STORY_BODY_NODES } from './nodes';
import { $createPageBreakNode, PAGE_BREAK_LABEL, type PageBreakNode, type PageBreakTheme } from './pageBreakNode';

/** Just what PageBreakNode's DOM code calls (shared/ tests run without a DOM). */
function fakeDocument() {
  return {
    createElement: (tag: string) => {
      const attributes: Record<string, string> = {};
      return { tag, className: '', textContent: null as string | null, attributes, setAttribute: (n: string, v: string) => (attributes[n] = v) };
    },
  };
}
type FakeElement = ReturnType<ReturnType<typeof fakeDocument>['createElement']>;

function editorWithBreak(theme: EditorThemeClasses): { editor: LexicalEditor; node: PageBreakNode } {
  const editor = createHeadlessEditor({ namespace: 'test', nodes: [...STORY_BODY_NODES], theme, onError: (e) => { throw e; } });
  // The node finds its document through the editor's root element.
  editor.getRootElement = () => ({ ownerDocument: fakeDocument() }) as unknown as HTMLElement;
  let node!: PageBreakNode;
  editor.update(() => {
    node = $createPageBreakNode();
    $getRoot().append(node);
  }, { discrete: true });
  return { editor, node };
}

describe('PageBreakNode label', () => {
  it('without a theme decoration (headless readers) carries the publication text', () => {
    const { editor, node } = editorWithBreak({});
    const el = editor.read(() => node.createDOM(editor._config, editor)) as unknown as FakeElement;
    expect(el.textContent).toBe(PAGE_BREAK_LABEL);
    expect(el.attributes['data-testid']).toBe('page-break');
    expect(editor.read(() => node.decorate(editor, editor._config))).toBeNull();
  });

  it('with a theme decoration leaves the label to the host, which renders it (e.g. in the UI language)', () => {
    const decoration = { label: 'Next page' };
    const pageBreak: PageBreakTheme = { decorate: () => decoration };
    const { editor, node } = editorWithBreak({ pageBreak });
    const el = editor.read(() => node.createDOM(editor._config, editor)) as unknown as FakeElement;
    expect(el.textContent).toBeNull();
    expect(el.attributes['role']).toBe('separator');
    expect(editor.read(() => node.decorate(editor, editor._config))).toBe(decoration);
  });

  it('exports and reads as today whatever the UI shows: "Halaman Selanjutnya" in HTML, a paragraph gap in text', () => {
    const { editor, node } = editorWithBreak({ pageBreak: { decorate: () => 'Next page' } satisfies PageBreakTheme });
    const exported = editor.read(() => node.exportDOM(editor)).element as unknown as FakeElement;
    expect(exported.textContent).toBe('Halaman Selanjutnya');
    expect(editor.read(() => node.getTextContent())).toBe('\n\n');
  });
});
