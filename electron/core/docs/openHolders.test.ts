import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { $getRoot, $isTextNode } from 'lexical';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bodyPlainText } from '../../../shared/doc/storyDoc';
import { editStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import { createRpcClient, type RpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import type { RpcEndpoint } from '../../../shared/rpc/protocol';
import { DATABASE_FILE, openCore, type Core } from '../core';
import { electronLikePort, rendererPortEndpoint } from '../testing/nodePorts';
import { tempProfile } from '../testing/tempProfile';
import { messagePortEndpoint } from '../transport/messagePortEndpoint';

/**
 * Who holds a story open is per client connection: a tab that closes, reloads or loses its
 * link lets go of its stories, so their documents are folded into a snapshot and leave
 * memory. Observable from outside in SQLite: a held story keeps its update-log tail; once
 * the last holder goes, the tail is folded (doc_updates empty, snapshot up to date).
 */
let profile: ReturnType<typeof tempProfile>;
let core: Core;
let storyId: string;
const clients: Array<RpcClient<CoreServices, CoreEvents>> = [];
let internalErrors: string[];

beforeEach(async () => {
  profile = tempProfile();
  internalErrors = [];
  // Long throttle and no compaction by count: only a release folds the tail.
  core = openCore({ profileDir: profile.dir, compactEvery: 10_000, indexDelayMs: 60_000, onInternalError: (what) => internalErrors.push(what) });
  storyId = (await core.services.stories.create({})).id;
  await core.services.docs.push({ storyId, update: writeStoryBody(new Y.Doc(), [{ type: 'paragraph', children: ['Awal'] }]) });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
  core.close();
  profile.remove();
});

interface Tab {
  services: CoreServices;
  /** The connection goes away without a goodbye (tab closed, reload, link lost). */
  drop(): void;
}

function connect(): Tab {
  const [serverSide, clientSide] = createMemoryEndpointPair();
  core.rpcServer.attach(serverSide);
  const client = createRpcClient<CoreServices, CoreEvents>(clientSide);
  clients.push(client);
  return { services: client.services, drop: () => clientSide.close() };
}

interface Editor {
  doc: Y.Doc;
  /** Types a word at the end of the body and returns the update (not sent). */
  edit(word: string): Uint8Array;
  /** Types a word and pushes it. */
  type(word: string): Promise<void>;
}

/** Opens the story in a client-side Y.Doc, as the editor does. */
async function openEditor(tab: Tab): Promise<Editor> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await tab.services.docs.open({ storyId })).state);
  const edit = (word: string) =>
    editStoryBody(doc, () => {
      const last = $getRoot().getLastDescendant();
      if ($isTextNode(last)) last.setTextContent(`${last.getTextContent()} ${word}`);
    });
  return {
    doc,
    edit,
    async type(word) {
      await tab.services.docs.push({ storyId, update: edit(word) });
    },
  };
}

function stored(): { tail: number; snapshotText: string } {
  const db = new Database(join(profile.dir, DATABASE_FILE), { readonly: true });
  try {
    const tail = db.prepare('SELECT count(*) FROM doc_updates').pluck().get() as number;
    const state = db.prepare('SELECT state FROM doc_snapshots').pluck().get() as Buffer;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return { tail, snapshotText: bodyPlainText(doc) };
  } finally {
    db.close();
  }
}

const settled = () => new Promise((r) => setTimeout(r, 0));

describe('open stories are held per client connection', () => {
  it('keeps a story held while another client has it, and folds it when the last holder disconnects without closing', async () => {
    const a = connect();
    const b = connect();
    const editor = await openEditor(a);
    await openEditor(b);
    await editor.type('satu');
    await editor.type('dua');
    await a.services.docs.close({ storyId });
    expect(stored().tail).toBe(2); // b still holds it

    b.drop(); // b's tab closes: it never sends docs.close
    await settled();
    expect(stored()).toEqual({ tail: 0, snapshotText: 'Awal satu dua' });
  });

  it('lets go of a reloaded tab: the old connection detaches, the new one holds the story once', async () => {
    const before = connect();
    const editor = await openEditor(before);
    await editor.type('sebelum');
    before.drop(); // reload: the page and its connection go away...
    const after = connect(); // ...and come back on a new one, reopening the story
    const reopened = await openEditor(after);
    expect(bodyPlainText(reopened.doc)).toBe('Awal sebelum');
    await reopened.type('sesudah');
    expect(stored().tail).toBeGreaterThan(0);
    await after.services.docs.close({ storyId });
    expect(stored()).toEqual({ tail: 0, snapshotText: 'Awal sebelum sesudah' });
  });

  it('treats a second open by the same client as the same hold (a press that pre-opened, then the editor)', async () => {
    const tab = connect();
    await tab.services.docs.open({ storyId }); // pre-open on the press of the row
    const editor = await openEditor(tab); // the editor opens it again
    await editor.type('kata');
    await tab.services.docs.close({ storyId });
    expect(stored()).toEqual({ tail: 0, snapshotText: 'Awal kata' });
    // Closing again, or closing a story never opened, changes nothing.
    await tab.services.docs.close({ storyId });
    await connect().services.docs.close({ storyId });
    expect(stored().tail).toBe(0);
  });

  it('still knows who holds a story after a failed push dropped its document from memory', async () => {
    const tab = connect();
    const editor = await openEditor(tab);
    await editor.type('satu');
    const db = new Database(join(profile.dir, DATABASE_FILE));
    // A write failure (disk full, I/O error) while appending the next update.
    db.exec("CREATE TRIGGER fail_append BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const failed = editor.edit('dua');
    await expect(tab.services.docs.push({ storyId, update: failed })).rejects.toMatchObject({ code: 'internal' });
    expect(internalErrors).toEqual(['docs.push']);
    db.exec('DROP TRIGGER fail_append');
    db.close();

    // The client retries, then keeps typing: the story is still held, so pushes go to the
    // log (not a full snapshot and index rewrite each) and the index waits for its throttle.
    await tab.services.docs.push({ storyId, update: failed });
    await editor.type('tiga');
    await editor.type('empat');
    expect(stored().tail).toBe(4);
    expect((await tab.services.stories.get({ id: storyId })).wordCount).toBe(1);
    await tab.services.docs.close({ storyId });
    expect(stored()).toEqual({ tail: 0, snapshotText: 'Awal satu dua tiga empat' });
    expect((await tab.services.stories.get({ id: storyId })).wordCount).toBe(5);
  });

  it('lets go when an Electron MessagePort closes (a window closed or reloaded)', async () => {
    const { port1, port2 } = new MessageChannel();
    core.rpcServer.attach(messagePortEndpoint(electronLikePort(port1)));
    const rendererSide: RpcEndpoint = rendererPortEndpoint(port2);
    const client = createRpcClient<CoreServices, CoreEvents>(rendererSide);
    clients.push(client);
    const editor = await openEditor({ services: client.services, drop: () => {} });
    await editor.type('jendela');
    expect(stored().tail).toBe(1);
    port2.close();
    await expect.poll(() => stored().tail, { timeout: 10_000 }).toBe(0);
    expect(stored().snapshotText).toBe('Awal jendela');
    expect(core.rpcServer.clientCount).toBe(0);
  });
});
