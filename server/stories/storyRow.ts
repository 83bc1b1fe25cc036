import type { StoryStatus } from '../../shared/domain/story';

/** The columns of a story's row that permission and workflow decisions read. */
export interface StoryFactsRow {
  id: string;
  created_by: string;
  rubrik_id: string | null;
  redaktur_id: string | null;
  penulis_ids: string[];
  status: StoryStatus;
}

export const STORY_FACTS_COLUMNS = 'id, created_by, rubrik_id, redaktur_id, penulis_ids, status';
