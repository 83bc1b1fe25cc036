import { init } from './20261128_0001_init';
import { metaText } from './20261201_0002_meta_text';
import { storyDamage } from './20261201_0003_story_damage';
import { account } from './20261201_0004_account';
import { syncState } from './20261201_0005_sync_state';
import { photos } from './20261201_0006_photos';
import { workflow } from './20261201_0007_workflow';
import { accessEpoch } from './20261201_0008_access_epoch';
import type { Migration } from './types';

/** Every migration, oldest first. Append only: the applied list must stay a prefix of this one. */
export const MIGRATIONS: readonly Migration[] = [init, metaText, storyDamage, account, syncState, photos, workflow, accessEpoch];

export type { Migration };
