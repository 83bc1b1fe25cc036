import { lazy, Suspense, useEffect, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type EditorScreenComponent from '../editor/EditorScreen';
import { createStory } from '../list/storyActions';
import { SEARCH_INPUT_ID, StoryListScreen } from '../list/StoryListScreen';
import { AccountBanner } from '../newsroom/AccountBanner';
import { LoginPanel } from '../newsroom/LoginPanel';
import { SyncIndicator } from '../newsroom/SyncIndicator';
import { UserMenu } from '../newsroom/UserMenu';
import { useApp } from '../state/appStore';
import { loginVisible, useLoginUi, useNewsroom } from '../state/newsroomStore';
import { ConnectionBanner } from './ConnectionBanner';
import { LanguageSwitch } from './LanguageSwitch';
import { NoticeToast } from './NoticeToast';
import { useAddressRouting } from './routing';
import { isCloseStoryKey, matchShortcut } from './shortcuts';

/**
 * The editor (Lexical, Yjs) is a separate chunk so the list, the first thing a reporter
 * sees, starts fast; it is fetched in the background as soon as the list is up.
 */
type EditorModule = { default: typeof EditorScreenComponent };
let editorModule: EditorModule | null = null;
const loadEditor = (): Promise<EditorModule> =>
  import('../editor/EditorScreen').then((m) => {
    editorModule = m;
    return m;
  });
const LazyEditorScreen = lazy(loadEditor);

export function prefetchEditor(): void {
  void loadEditor();
}

/**
 * Once the chunk is in, render it directly: going through lazy() would suspend for a
 * tick, and React holds a revealed Suspense boundary back for up to 300 ms.
 */
function Editor({ storyId }: { storyId: string }): JSX.Element {
  const Loaded = editorModule?.default;
  if (Loaded) return <Loaded storyId={storyId} />;
  return (
    <Suspense fallback={<section className="editor-pane" aria-busy="true" />}>
      <LazyEditorScreen storyId={storyId} />
    </Suspense>
  );
}

function useAppShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const shortcut = matchShortcut(e);
      if (!shortcut) return;
      e.preventDefault();
      if (shortcut === 'new-story') {
        void createStory();
      } else {
        // The search lives in the list; on a narrow window the list is hidden behind the editor.
        if (window.matchMedia('(max-width: 899px)').matches) useApp.getState().openStory(null);
        requestAnimationFrame(() => {
          const input = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
          input?.focus();
          input?.select();
        });
      }
    };
    // Esc is heard last (bubble phase), so the link box and the search box can take it first.
    const onEscape = (e: KeyboardEvent) => {
      if (!isCloseStoryKey(e) || !useApp.getState().openStoryId) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target && target !== document.body && !target.closest('.editor-pane')) return;
      e.preventDefault();
      useApp.getState().openStory(null);
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keydown', onEscape);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keydown', onEscape);
    };
  }, []);
}

/**
 * Layout: top bar; the story list; with a story open, the editor beside the list (the list
 * collapses on narrow windows and "back to the list" returns to it).
 */
export function App(): JSX.Element {
  const { t } = useTranslation();
  const openStoryId = useApp((s) => s.openStoryId);
  const account = useNewsroom((s) => s.account);
  const loginUi = useLoginUi();
  // The login screen sits beside the list (writing never waits for it); asked for from the
  // header it takes the editor's place, which flushes and closes the story as usual.
  const showLogin = loginVisible(account, loginUi) && (loginUi.requested || !openStoryId);
  useAddressRouting();
  useAppShortcuts();
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            RR
          </span>
          <span className="brand-name">{t('app.title')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <div className="topbar-tools">
          <SyncIndicator />
          <UserMenu />
          <LanguageSwitch />
        </div>
      </header>
      <ConnectionBanner />
      <AccountBanner />
      <main className={`workspace${showLogin ? ' has-login' : openStoryId ? ' has-editor' : ''}`}>
        <StoryListScreen />
        {showLogin ? <LoginPanel /> : openStoryId ? <Editor key={openStoryId} storyId={openStoryId} /> : null}
      </main>
      <NoticeToast />
    </div>
  );
}
