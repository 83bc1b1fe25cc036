import i18next from 'i18next';
import { useEffect } from 'react';
import { useApp } from '../state/appStore';
import { currentRoute, leaveStoryEntry } from './browserHistory';
import type { Route } from './routes';

/**
 * Keeps the open story in step with the address: Back, Forward and an address edited by
 * hand change the route (popstate), and the app shows what it names. A story address that
 * leads nowhere says so and shows the list.
 */
export function useAddressRouting(): void {
  useEffect(() => {
    const follow = (route: Route) => {
      if (route.kind === 'missing-story') reportMissingStory();
      else useApp.getState().followAddress(route.kind === 'story' ? route.storyId : null);
    };
    follow(currentRoute());
    const onPopState = () => follow(currentRoute());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
}

/**
 * Core does not know the story the address names (a stale bookmark, a story from another
 * profile), or the address holds no story id at all: say so and show the list in place of
 * the dead address.
 */
export function storyNotFound(storyId: string): void {
  if (useApp.getState().openStoryId !== storyId) return;
  reportMissingStory();
}

function reportMissingStory(): void {
  leaveStoryEntry({ replace: true });
  useApp.getState().followAddress(null);
  useApp.getState().showNotice({ message: i18next.t('editor.notFound') });
}
