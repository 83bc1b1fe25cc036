import { accounts } from './20261201_0001_accounts';
import { stories } from './20261201_0002_stories';
import { storyState } from './20261201_0003_story_state';
import { accessEpoch } from './20261201_0004_access_epoch';
import { photos } from './20261201_0005_photos';
import { workflow } from './20261201_0006_workflow';
import { storyCatchUp } from './20261202_0007_story_catch_up';
import { photoAccess } from './20261202_0008_photo_access';
import { rateLimitHits } from './20261202_0009_rate_limit_hits';
import type { Migration } from './types';

/** Every migration, oldest first. Append only: the applied list must stay a prefix of this one. */
export const MIGRATIONS: readonly Migration[] = [accounts, stories, storyState, accessEpoch, photos, workflow, storyCatchUp, photoAccess, rateLimitHits];

export type { Migration };
