/**
 * A core process that only syncs, for tests that kill it mid-sync: opens the profile given
 * as argv[2], syncs with the session in argv[3] (JSON), prints one line per request
 * (`SENT <ids of stories pushed with an update>`) and `DONE <status>` when the exchange is over.
 */
import { gunzipSync } from 'node:zlib';
import type { ServerSession } from '../sync/session';
import type { FetchLike } from '../sync/serverHttp';
import { ManualSessionSource } from './syncServer';
import { openSyncCore } from './syncCore';

async function main(): Promise<void> {
  const [profileDir, sessionJson] = process.argv.slice(2);
  const session = JSON.parse(sessionJson!) as ServerSession;
  const logging: FetchLike = async (url, init) => {
    if (init.method === 'POST' && url.endsWith('/sync')) {
      const raw = init.body!;
      const body = JSON.parse(typeof raw === 'string' ? raw : gunzipSync(raw).toString('utf8')) as { stories: Array<{ id: string; update?: string }> };
      process.stdout.write(`SENT ${JSON.stringify(body.stories.filter((s) => s.update).map((s) => s.id))}\n`);
    }
    return fetch(url, init);
  };
  const core = openSyncCore(profileDir!, new ManualSessionSource(session), { fetch: logging, requestTimeoutMs: 120_000 });
  const status = await core.engine.syncNow();
  process.stdout.write(`DONE ${JSON.stringify(status)}\n`);
  await core.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
