import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as Y from 'yjs';
import { getMetaMap } from '../../../shared/doc/storyDoc';
import { sampleSentence } from '../../../shared/editor/headlessSample';
import { DATABASE_FILE } from '../core';
import { openDatabase } from '../db/openDatabase';
import { StoryRepository } from '../stories/storyRepository';

/**
 * Fills a profile (core not running) with `count` stories fast, straight through SQL: a
 * projection, an FTS row and a one-update log per story. For search and list benchmarks;
 * bodies are plain sentences, not editor-shaped, which the list and search never read.
 */
export function seedStoriesFast(profileDir: string, count: number, wordsPerStory = 300, seed = 7): string[] {
  const db = openDatabase(join(profileDir, DATABASE_FILE));
  const stories = new StoryRepository(db);
  const appendLog = db.prepare('INSERT INTO doc_updates (story_row_id, seq, data, created_at) VALUES (?, 1, ?, ?)');
  let state = seed;
  const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
  const ids: string[] = [];
  const t0 = 1_800_000_000_000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const headline = `${sampleSentence(rand, 6).slice(0, -1)} ${i}`;
      const sentences: string[] = [];
      for (let w = 0; w < wordsPerStory; w += 15) sentences.push(sampleSentence(rand, Math.min(15, wordsPerStory - w)));
      const body = sentences.join(' ');
      const doc = new Y.Doc();
      getMetaMap(doc).set('headline', headline);
      const summary = stories.insert(id, t0 + i * 1000);
      const ref = stories.refById(summary.id)!;
      appendLog.run(ref.rowId, Y.encodeStateAsUpdate(doc), t0);
      stories.writeProjection(ref.rowId, headline, wordsPerStory, body);
      ids.push(id);
    }
  })();
  db.close();
  return ids;
}
