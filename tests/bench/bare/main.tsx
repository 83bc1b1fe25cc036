import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin';
import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { createRoot, type Root } from 'react-dom/client';
import * as Y from 'yjs';
import { STORY_BODY_NODES } from '../../../shared/editor/nodes';
import { createLocalProvider } from './localProvider';

/**
 * The baseline of the keystroke and open benchmarks: only a Lexical editor bound to a
 * Y.Doc, with the same nodes and the same stored bytes as the app, and nothing else
 * (no RPC, no persistence, no app chrome). The harness loads the page, waits for
 * `window.__bare.loaded`, then calls `window.__bare.mount()` and measures; unmount() and
 * mount() again open the story anew in the same (warm) page, as the app does.
 */
declare global {
  interface Window {
    __bare?: { loaded: Promise<void>; mount(): void; unmount(): void };
  }
}

const loaded = fetch('./story.bin')
  .then((r) => {
    if (!r.ok) throw new Error(`story.bin: HTTP ${r.status}`);
    return r.arrayBuffer();
  })
  .then((b) => new Uint8Array(b));

type ProviderFactory = (id: string, docMap: Map<string, Y.Doc>) => ReturnType<typeof createLocalProvider>;

/** One doc and one provider per mount, with a stable identity (CollaborationPlugin needs both). */
function localProviderFactory(stored: Uint8Array): { providerFactory: ProviderFactory; destroy(): void } {
  const doc = new Y.Doc();
  const provider = createLocalProvider(doc, stored);
  return {
    providerFactory: (id, docMap) => {
      docMap.set(id, doc);
      return provider;
    },
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

function BareEditor({ providerFactory }: { providerFactory: ProviderFactory }) {
  const initialConfig = {
    namespace: 'bench-bare',
    nodes: [...STORY_BODY_NODES],
    // Must be null with collaboration, or typing never reaches Yjs (silently).
    editorState: null,
    onError(error: Error) {
      throw error;
    },
  };
  return (
    <LexicalCollaboration>
      <LexicalComposer initialConfig={initialConfig}>
        <RichTextPlugin
          contentEditable={<ContentEditable className="bare-body" data-testid="editor-body" />}
          ErrorBoundary={LexicalErrorBoundary}
        />
        <CollaborationPlugin
          id="story"
          shouldBootstrap={false}
          providerFactory={providerFactory}
        />
      </LexicalComposer>
    </LexicalCollaboration>
  );
}

let stored: Uint8Array | null = null;
let mounted: { root: Root; destroy: () => void } | null = null;
window.__bare = {
  loaded: loaded.then((bytes) => {
    stored = bytes;
  }),
  mount() {
    if (!stored) throw new Error('story bytes not loaded yet');
    if (mounted) throw new Error('already mounted');
    const factory = localProviderFactory(stored);
    const root = createRoot(document.getElementById('root')!);
    root.render(<BareEditor providerFactory={factory.providerFactory} />);
    mounted = { root, destroy: factory.destroy };
  },
  unmount() {
    mounted?.root.unmount();
    mounted?.destroy();
    mounted = null;
  },
};
