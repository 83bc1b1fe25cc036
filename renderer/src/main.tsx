// First, before any module reads the address: takes web mode's token out of it.
import { addressToken } from './core/tokenBootstrap';
import { createRoot } from 'react-dom/client';
import { App, prefetchEditor } from './app/App';
import { syncSettings } from './app/settings';
import { connectToCore, MissingTokenError } from './core/connection';
import { setCore } from './core/coreContext';
import { drainStashesOnConnect } from './editor/drainAtStart';
import { answerShellFlushRequests } from './editor/shellFlush';
import { initI18n } from './i18n/i18n';
import { useApp } from './state/appStore';
import { followNewsroomEvents, loadNewsroom, refreshSyncSoon } from './state/newsroomStore';
import { applyStoryChanged, followQueueViewer, refreshSearch, reloadList } from './state/storyListStore';

initI18n();
// Reopening a story after a reload: fetch the editor chunk alongside everything else.
if (useApp.getState().openStoryId) prefetchEditor();

try {
  const connection = connectToCore();
  setCore(connection);
  const { endpoint, client } = connection;
  useApp.getState().setConnection(endpoint.status());
  endpoint.onStatus((status) => useApp.getState().setConnection(status));
  client.on('storyChanged', applyStoryChanged);
  client.on('storyChanged', refreshSyncSoon);
  followNewsroomEvents(client);
  // Another user logged in (or out), or the rubrik I edit changed: "menunggu saya" means other stories now.
  followQueueViewer();
  // Edits stashed when the page last went away reach core now, whether or not their story is opened.
  drainStashesOnConnect(connection);
  answerShellFlushRequests(window.ruangShell);
  endpoint.onConnected((isReconnect) => {
    performance.mark('rr:connected');
    // Language and list load in parallel: the list must be interactive fast (10,000 stories).
    void syncSettings();
    void loadNewsroom();
    void reloadList().then(() => {
      performance.mark('rr:list-loaded');
      if (!isReconnect) setTimeout(prefetchEditor, 0);
    });
    if (isReconnect) refreshSearch();
  });
} catch (error) {
  if (error instanceof MissingTokenError) {
    useApp.getState().setMissingToken();
    // The full address pasted into this tab changes only the hash: start over with it.
    addressToken.onCaptured(() => window.location.reload());
  } else throw error;
}

createRoot(document.getElementById('root')!).render(<App />);
