import { accounts } from './20261201_0001_accounts';
import { stories } from './20261201_0002_stories';
import { storyState } from './20261201_0003_story_state';
import type { Migration } from './types';

/** Every migration, oldest first. Append only: the applied list must stay a prefix of this one. */
export const MIGRATIONS: readonly Migration[] = [accounts, stories, storyState];

export type { Migration };
