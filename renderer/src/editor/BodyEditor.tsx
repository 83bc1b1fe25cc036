import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext';
import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin';
import { LexicalComposer, type InitialConfigType } from '@lexical/react/LexicalComposer';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { LinkPlugin } from '@lexical/react/LexicalLinkPlugin';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import type { Provider } from '@lexical/yjs';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { memo, useCallback, useEffect, useMemo, type JSX, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { STORY_BODY_NODES } from '../../../shared/editor/nodes';
import { editingLocked, useReview } from '../state/reviewStore';
import { CommentsPlugin } from '../comments/CommentsPlugin';
import type { LocalProvider } from './localProvider';
import { PhotoDropPastePlugin } from './photos/photoPlugin';
import type { StorySession } from './storySession';
import { EDITOR_THEME } from './theme';
import { Toolbar } from './Toolbar';
import { useLoaded } from './useLoaded';
import { WordCountPlugin } from './wordCountPlugin';

const SAFE_URL = /^(https?:|mailto:)/i;

/**
 * The contenteditable is there from the start, read-only and marked busy until the stored
 * document is in (EditableWhenLoaded): the document then lands straight in the DOM in one
 * Lexical commit, with no second React pass to mount the surface for a 20,000-word body.
 */
function BodySurface({ provider }: { provider: LocalProvider }): JSX.Element {
  const { t } = useTranslation();
  const loaded = useLoaded(provider);
  return (
    <div className="body-wrap">
      <RichTextPlugin
        contentEditable={
          <ContentEditable
            className={`body-editable${loaded ? '' : ' is-loading'}`}
            data-testid="editor-body"
            aria-label={t('editor.body')}
            aria-busy={!loaded}
            aria-placeholder={t('editor.bodyPlaceholder')}
            placeholder={<div className="body-placeholder">{t('editor.bodyPlaceholder')}</div>}
            spellCheck
          />
        }
        ErrorBoundary={LexicalErrorBoundary}
      />
    </div>
  );
}

/**
 * The editor mounts while core is still answering docs.open; typing starts once the document
 * is in, and only while the workflow lets this user edit the text (review store). A lock that
 * arrives mid-sentence stops further keystrokes; what was typed is already in the doc and
 * goes to core as usual.
 */
function EditableWhenAllowed({ provider }: { provider: LocalProvider }): null {
  const [editor] = useLexicalComposerContext();
  const locked = useReview(editingLocked);
  // Straight from the load callback, not a render later: the document lands in one commit.
  useEffect(() => provider.onLoaded(() => editor.setEditable(!editingLocked(useReview.getState()))), [editor, provider]);
  useEffect(() => {
    if (provider.isLoaded) editor.setEditable(!locked);
  }, [editor, provider, locked]);
  return null;
}

/**
 * The story body: Lexical bound to the session's Y.Doc through CollaborationPlugin and a
 * local provider, avoiding pitfalls each seen with Lexical 0.52 bound to Yjs offline:
 * - initialConfig.editorState is null, or typing never reaches Yjs;
 * - the stored bytes are applied inside provider.connect() (see LocalProvider);
 * - providerFactory registers the doc in yjsDocMap and returns the same provider;
 * - no HistoryPlugin: the collaboration plugin brings Yjs undo (Ctrl+Z / Shift+Z / Y);
 * - shouldBootstrap: Lexical seeds an empty paragraph only when the body is still empty
 *   after connect() applied the stored bytes; core never seeds bodies, so one seeder.
 * Memoised on the session: nothing the user types re-renders this component.
 */
export const BodyEditor = memo(function BodyEditor({
  session,
  header,
}: {
  session: StorySession;
  header: ReactNode;
}): JSX.Element {
  const initialConfig = useMemo<InitialConfigType>(
    () => ({
      namespace: `story-${session.storyId}`,
      nodes: [...STORY_BODY_NODES],
      editorState: null,
      // Read-only until the stored document is in (see EditableWhenAllowed).
      editable: false,
      theme: EDITOR_THEME,
      onError: (error: Error) => {
        console.error('editor error', error);
      },
    }),
    [session.storyId],
  );
  const providerFactory = useCallback(
    (id: string, yjsDocMap: Map<string, Y.Doc>): Provider => {
      yjsDocMap.set(id, session.doc);
      return session.provider.asProvider();
    },
    [session],
  );
  const validateUrl = useCallback((url: string) => SAFE_URL.test(url), []);

  return (
    <LexicalCollaboration>
      <LexicalComposer initialConfig={initialConfig}>
        {header}
        <Toolbar />
        <BodySurface provider={session.provider} />
        <ListPlugin />
        <LinkPlugin validateUrl={validateUrl} />
        <CollaborationPlugin id={session.storyId} providerFactory={providerFactory} shouldBootstrap={true} />
        <WordCountPlugin />
        <PhotoDropPastePlugin />
        <EditableWhenAllowed provider={session.provider} />
        <CommentsPlugin />
      </LexicalComposer>
    </LexicalCollaboration>
  );
});
