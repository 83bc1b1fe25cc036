/**
 * A core process that only uploads photos, for tests that kill it mid-upload: opens the profile
 * given as argv[2], uploads with the session in argv[3] (JSON) and the chunk size in argv[4],
 * prints `PROGRESS <sha256> <variant-bytes-sent>` as bytes go out and `DONE` when the pass ends.
 */
import { join } from 'node:path';
import { openDatabase } from '../db/openDatabase';
import { createPhotoUploader } from '../photos/photoUploader';
import type { ServerSession } from '../sync/session';
import { ManualSessionSource } from './syncServer';

async function main(): Promise<void> {
  const [profileDir, sessionJson, chunk] = process.argv.slice(2);
  const db = openDatabase(join(profileDir!, 'core.db'));
  const uploader = createPhotoUploader({
    db,
    profileDir: profileDir!,
    sessions: new ManualSessionSource(JSON.parse(sessionJson!) as ServerSession),
    chunkBytes: Number(chunk),
    onChange: (status) => process.stdout.write(`PROGRESS ${status.sha256} ${status.state} ${status.bytesSent}\n`),
  });
  await uploader.runPass();
  process.stdout.write('DONE\n');
  await uploader.stop();
  db.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
