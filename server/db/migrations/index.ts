import { accounts } from './20261201_0001_accounts';
import { stories } from './20261201_0002_stories';
import { photos } from './20261201_0005_photos';
import type { Migration } from './types';

/** Every migration, oldest first. Append only: the applied list must stay a prefix of this one. */
export const MIGRATIONS: readonly Migration[] = [accounts, stories, photos];

export type { Migration };
