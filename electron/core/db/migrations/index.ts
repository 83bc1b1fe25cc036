import { init } from './20261128_0001_init';
import { storyDamage } from './20261201_0003_story_damage';
import type { Migration } from './types';

/** Every migration, oldest first. Append only: the applied list must stay a prefix of this one. */
export const MIGRATIONS: readonly Migration[] = [init, storyDamage];

export type { Migration };
