import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPhoto } from '../../shared/doc/photos';
import { getMetaMap, getMetaText, readMeta } from '../../shared/doc/storyDoc';
import type { StoryStatus } from '../../shared/domain/story';
import { writeStoryBody } from '../../shared/editor/headless';
import type { DirectoryResponse } from '../../shared/server-api/schemas';
import type { ChangesResponse, SyncResponse } from '../../shared/server-api/sync';
import type { CommandResult, ReviewsResponse, StoryReviewResponse, VersionResponse, VersionsResponse, WorkflowCommandRequest } from '../../shared/server-api/workflow';
import { STORY_STATUSES } from '../../shared/domain/story';
import { WORKFLOW_COMMANDS, type WorkflowCommand } from '../../shared/workflow/rules';
import { openTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const EMPTY_SV = b64(Y.encodeStateVector(new Y.Doc()));

/**
 * The review workflow's table, written out here independently of shared/workflow/rules.ts:
 * per actor, the (command, from status) pairs allowed and where each leads.
 */
const TO: Record<WorkflowCommand, StoryStatus> = {
  submit: 'submitted',
  claim: 'in_review',
  request_revision: 'revision_requested',
  approve: 'approved',
  publish: 'published',
  spike: 'spiked',
  restore: 'draft',
};
const ALL_BUT_PUBLISHED_AND_SPIKED: StoryStatus[] = ['draft', 'submitted', 'in_review', 'revision_requested', 'approved'];
const DESK: Partial<Record<WorkflowCommand, StoryStatus[]>> = {
  claim: ['submitted'],
  request_revision: ['in_review'],
  approve: ['in_review'],
  publish: ['approved'],
  spike: ALL_BUT_PUBLISHED_AND_SPIKED,
  restore: ['spiked'],
};
const ALLOWED: Record<string, Partial<Record<WorkflowCommand, StoryStatus[]>>> = {
  /** The author (creator, in the byline). */
  penulis1: { submit: ['draft', 'revision_requested'], spike: ['draft', 'revision_requested'], restore: ['spiked'] },
  /** Not in the byline: cannot even see the story. */
  penulis2: {},
  /** Edits Megapolitan, the story's rubrik. */
  redaktur1: DESK,
  /** Edits other rubrik and is not the story's redaktur. */
  redaktur2: {},
  admin: { ...DESK, submit: ['draft', 'revision_requested'] },
};
const ACTORS = Object.keys(ALLOWED);
/** Forbidden (403) for who may never give the command here, wrong_status (409) for who may but not now. */
function expectedRefusal(actor: string, command: WorkflowCommand, _status: StoryStatus): 'forbidden' | 'wrong_status' {
  if (actor === 'penulis2' || actor === 'redaktur2') return 'forbidden';
  if (actor === 'penulis1') {
    // A reporter may spike their story only while it is theirs to write.
    if (command === 'spike') return 'forbidden';
    return command === 'submit' || command === 'restore' ? 'wrong_status' : 'forbidden';
  }
  if (actor === 'redaktur1' && command === 'submit') return 'forbidden';
  return 'wrong_status';
}

describe.each(ENGINES)('review workflow on the server (%s)', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let tokens: Record<string, string>;
  let dir: DirectoryResponse;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  }, 120_000);
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.resetToDemo();
    app = await startTestApp(t.db);
    tokens = {};
    for (const u of ACTORS) tokens[u] = await app.login(u);
    dir = (await app.request('GET', '/directory', { token: tokens.admin })).json() as DirectoryResponse;
  }, 60_000);

  const userId = (username: string) => dir.users.find((u) => u.username === username)!.id;
  const rubrikId = (path: string) => dir.rubrik.find((r) => r.path === path)!.id;

  async function syncRaw(username: string, body: object): Promise<SyncResponse> {
    const res = await app.request('POST', '/sync', { token: tokens[username], body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SyncResponse;
  }

  /** penulis1's story in Megapolitan, ready to submit (every blocking checklist item passes). */
  function readyDoc(): Y.Doc {
    const doc = new Y.Doc();
    getMetaText(doc, 'headline').insert(0, 'Banjir rob di Jakarta Utara');
    const meta = getMetaMap(doc);
    meta.set('rubrikId', rubrikId('Megapolitan'));
    meta.set('redakturId', userId('redaktur1'));
    meta.set('penulisIds', [userId('penulis1')]);
    meta.set('dateline', 'JAKARTA');
    writeStoryBody(doc, [{ type: 'paragraph', children: ['Air laut pasang merendam permukiman warga.'] }]);
    return doc;
  }
  async function pushNew(doc: Y.Doc, username = 'penulis1'): Promise<string> {
    const id = randomUUID();
    const answer = await syncRaw(username, { stories: [{ id, update: b64(Y.encodeStateAsUpdate(doc)), stateVector: b64(Y.encodeStateVector(doc)) }] });
    expect(answer.stories[0]).toMatchObject({ ok: true });
    return id;
  }
  const command = (storyId: string, name: WorkflowCommand, extra: Partial<WorkflowCommandRequest> = {}): WorkflowCommandRequest => ({
    id: randomUUID(),
    storyId,
    command: name,
    issuedAt: app.clock.now,
    ...(name === 'request_revision' ? { note: 'Tambahkan tanggapan warga.' } : {}),
    ...extra,
  });
  async function run(username: string, ...commands: WorkflowCommandRequest[]): Promise<CommandResult[]> {
    return (await syncRaw(username, { stories: [], commands })).commands!;
  }
  /** Everything a command may write about a story. */
  async function written(storyId: string) {
    const [row] = await t.db.query<Record<string, unknown>>(
      `SELECT s.status, s.change_seq::text AS change_seq,
              (SELECT count(*)::int FROM story_status_history WHERE story_id = s.id) AS history,
              (SELECT count(*)::int FROM story_versions WHERE story_id = s.id) AS versions,
              (SELECT count(*)::int FROM story_updates WHERE story_id = s.id) AS updates,
              (SELECT count(*)::int FROM story_comments WHERE story_id = s.id) AS comments,
              (SELECT count(*)::int FROM story_thread_ops WHERE story_id = s.id) AS thread_ops
         FROM stories s WHERE s.id = $1`,
      [storyId],
    );
    return row!;
  }

  it('every cell of role × command × status: allowed ones move the status once, refused ones answer 403/409 and write nothing', async () => {
    const template = Y.encodeStateAsUpdate(readyDoc());
    const cells: Array<{ actor: string; command: WorkflowCommand; status: StoryStatus; storyId: string; cmd: WorkflowCommandRequest }> = [];
    for (const status of STORY_STATUSES) {
      for (const actor of ACTORS) {
        for (const name of WORKFLOW_COMMANDS) {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, template);
          const storyId = await pushNew(doc);
          await t.db.query('UPDATE stories SET status = $2 WHERE id = $1', [storyId, status]);
          cells.push({ actor, command: name, status, storyId, cmd: command(storyId, name) });
        }
      }
    }
    expect(cells).toHaveLength(STORY_STATUSES.length * ACTORS.length * WORKFLOW_COMMANDS.length);
    let allowedCount = 0;
    for (const cell of cells) {
      const label = `${cell.actor} ${cell.command} from ${cell.status}`;
      const before = await written(cell.storyId);
      const allowed = ALLOWED[cell.actor]![cell.command]?.includes(cell.status) ?? false;
      // Half the cells through POST /sync, half through the command route (statuses there).
      const viaRoute = cells.indexOf(cell) % 2 === 1;
      let result: CommandResult;
      if (viaRoute) {
        const { storyId: _storyId, ...body } = cell.cmd;
        const res = await app.request('POST', `/stories/${cell.storyId}/commands`, { token: tokens[cell.actor], body });
        result = res.json() as CommandResult;
        const expectedStatus = allowed ? 200 : expectedRefusal(cell.actor, cell.command, cell.status) === 'forbidden' ? 403 : 409;
        expect(res.statusCode, label).toBe(expectedStatus);
      } else {
        [result] = (await run(cell.actor, cell.cmd)) as [CommandResult];
      }
      const after = await written(cell.storyId);
      if (allowed) {
        allowedCount++;
        expect(result, label).toEqual({ id: cell.cmd.id, ok: true, status: TO[cell.command] });
        expect(after.status, label).toBe(TO[cell.command]);
        expect(after.history, label).toBe(1);
        expect(after.versions, label).toBe(['submit', 'approve', 'publish'].includes(cell.command) ? 1 : 0);
        expect(BigInt(after.change_seq as string) > BigInt(before.change_seq as string), label).toBe(true);
      } else {
        expect(result.ok, label).toBe(false);
        if (result.ok) continue;
        const code = expectedRefusal(cell.actor, cell.command, cell.status);
        expect(result.error.code, label).toBe(code);
        // Who cannot see the story does not learn its status either.
        expect(result.status, label).toBe(cell.actor === 'penulis2' || cell.actor === 'redaktur2' ? null : cell.status);
        expect(after, label).toEqual(before);
      }
    }
    // 2 + 2 + 1 for the author, 10 for the desk, 12 for an admin.
    expect(allowedCount).toBe(5 + 10 + 12);
  }, 600_000);

  it('a command sent again (in the same request and in a later one) is applied once and answered as the first time', async () => {
    const storyId = await pushNew(readyDoc());
    const submit = command(storyId, 'submit');
    const first = await run('penulis1', submit, submit);
    expect(first).toEqual([
      { id: submit.id, ok: true, status: 'submitted' },
      { id: submit.id, ok: true, status: 'submitted' },
    ]);
    const once = await written(storyId);
    expect(once).toMatchObject({ status: 'submitted', history: 1, versions: 1 });
    // The redaktur moves the story on; the reporter's client, which never got its answer, sends the submit again.
    await run('redaktur1', command(storyId, 'claim'));
    const claimed = await written(storyId);
    expect(await run('penulis1', submit)).toEqual([{ id: submit.id, ok: true, status: 'submitted' }]);
    expect(await written(storyId)).toEqual(claimed);
    // The same id from someone else is not theirs.
    const [stolen] = await run('admin', { ...submit, command: 'spike' });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await written(storyId)).toEqual(claimed);
  });

  it('submit runs the blocking checklist: failures are named and nothing is written; the text sent with it counts', async () => {
    const doc = readyDoc();
    getMetaMap(doc).delete('dateline');
    writeStoryBody(doc, [{ type: 'paragraph', children: ['Jumlah korban TK orang.'] }]);
    addPhoto(doc, 'foto-1', { sha256: 'c'.repeat(64), mime: 'image/jpeg', width: 1, height: 1, caption: 'Banjir', credit: '', photographer: '', source: '', dateTaken: '' });
    const storyId = await pushNew(doc);
    const before = await written(storyId);
    const [refused] = await run('penulis1', command(storyId, 'submit'));
    expect(refused).toMatchObject({ ok: false, status: 'draft', error: { code: 'checklist_failed', failures: ['dateline', 'photo_credit:foto-1', 'placeholder:body'] } });
    expect(await written(storyId)).toEqual(before);

    // Fixed in the same request as the submit: the story updates go first.
    const acked = Y.encodeStateVector(doc);
    getMetaMap(doc).set('dateline', 'JAKARTA');
    doc.getMap<Y.Map<unknown>>('photos').get('foto-1')!.set('credit', 'Foto : Istimewa');
    writeStoryBody(doc, [{ type: 'paragraph', children: ['Jumlah korban 12 orang.'] }]);
    const answer = await syncRaw('penulis1', {
      stories: [{ id: storyId, update: b64(Y.encodeStateAsUpdate(doc, acked)), stateVector: b64(Y.encodeStateVector(doc)) }],
      commands: [command(storyId, 'submit')],
    });
    expect(answer.commands).toEqual([expect.objectContaining({ ok: true, status: 'submitted' })]);
  });

  it('edits follow the status: the reporter\'s update to a story with the desk is refused as read_only and stored nowhere; the desk\'s goes in', async () => {
    const doc = readyDoc();
    const storyId = await pushNew(doc);
    await run('penulis1', command(storyId, 'submit'));
    const acked = Y.encodeStateVector(doc);
    getMetaText(doc, 'headline').insert(0, 'Telat: ');
    const late = { id: storyId, update: b64(Y.encodeStateAsUpdate(doc, acked)), stateVector: b64(Y.encodeStateVector(doc)) };
    const before = await written(storyId);
    const [refused] = (await syncRaw('penulis1', { stories: [late] })).stories;
    expect(refused).toMatchObject({ id: storyId, ok: false, error: { code: 'read_only' } });
    expect(await written(storyId)).toEqual(before);
    // Asking without an update still answers (reading is not editing).
    expect((await syncRaw('penulis1', { stories: [{ id: storyId, stateVector: EMPTY_SV }] })).stories[0]).toMatchObject({ ok: true });

    // The assigned redaktur may edit it now.
    const desk = new Y.Doc();
    const [mine] = (await syncRaw('redaktur1', { stories: [{ id: storyId, stateVector: EMPTY_SV }] })).stories;
    if (!mine?.ok) throw new Error('redaktur could not read the story');
    Y.applyUpdate(desk, Buffer.from(mine.update, 'base64'));
    const deskAcked = Y.encodeStateVector(desk);
    getMetaText(desk, 'headline').insert(0, 'Rob: ');
    const [deskEdit] = (await syncRaw('redaktur1', { stories: [{ id: storyId, update: b64(Y.encodeStateAsUpdate(desk, deskAcked)), stateVector: b64(Y.encodeStateVector(desk)) }] }))
      .stories;
    expect(deskEdit).toMatchObject({ ok: true });
    expect((await written(storyId)).updates).toBe((before.updates as number) + 1);
    // Once approved nobody edits; an update that adds nothing (a lost answer sent again) is still fine.
    await run('redaktur1', command(storyId, 'claim'), command(storyId, 'approve'));
    const again = (await syncRaw('redaktur1', { stories: [{ id: storyId, update: b64(Y.encodeStateAsUpdate(desk, deskAcked)), stateVector: b64(Y.encodeStateVector(desk)) }] })).stories;
    expect(again[0]).toMatchObject({ ok: true });
    getMetaText(desk, 'lead').insert(0, 'Tambahan');
    const after = (await syncRaw('redaktur1', { stories: [{ id: storyId, update: b64(Y.encodeStateAsUpdate(desk)), stateVector: b64(Y.encodeStateVector(desk)) }] })).stories;
    expect(after[0]).toMatchObject({ ok: false, error: { code: 'read_only' } });
  });

  it('versions are kept at submit and approve with the document as it was; review and versions are served to who may see the story', async () => {
    const doc = readyDoc();
    const storyId = await pushNew(doc);
    await run('penulis1', command(storyId, 'submit'));
    await run('redaktur1', command(storyId, 'claim'));
    const desk = new Y.Doc();
    const [read] = (await syncRaw('redaktur1', { stories: [{ id: storyId, stateVector: EMPTY_SV }] })).stories;
    if (!read?.ok) throw new Error('no story');
    Y.applyUpdate(desk, Buffer.from(read.update, 'base64'));
    const acked = Y.encodeStateVector(desk);
    getMetaText(desk, 'headline').delete(0, 6);
    getMetaText(desk, 'headline').insert(0, 'Rob');
    await syncRaw('redaktur1', { stories: [{ id: storyId, update: b64(Y.encodeStateAsUpdate(desk, acked)), stateVector: b64(Y.encodeStateVector(desk)) }] });
    await run('redaktur1', command(storyId, 'request_revision', { note: 'Tambahkan data BMKG.' }));

    const res = await app.request('GET', `/stories/${storyId}/review`, { token: tokens.penulis1 });
    expect(res.statusCode, res.body).toBe(200);
    let review = res.json() as StoryReviewResponse;
    expect(review).toMatchObject({ storyId, status: 'revision_requested', revisionNote: 'Tambahkan data BMKG.', revisionNoteBy: userId('redaktur1') });
    expect(review.versions.map((v) => [v.kind, v.createdBy])).toEqual([['filed', userId('penulis1')]]);

    await run('penulis1', command(storyId, 'submit'));
    await run('redaktur1', command(storyId, 'claim'), command(storyId, 'approve'));
    review = (await app.request('GET', `/stories/${storyId}/review`, { token: tokens.redaktur1 })).json() as StoryReviewResponse;
    expect(review.status).toBe('approved');
    expect(review.revisionNote).toBeNull();
    expect(review.versions.map((v) => v.kind)).toEqual(['filed', 'filed', 'edited']);

    const headlineOf = async (versionId: string) => {
      const r = await app.request('GET', `/stories/${storyId}/versions/${versionId}`, { token: tokens.penulis1 });
      expect(r.statusCode, r.body).toBe(200);
      const v = r.json() as VersionResponse;
      const d = new Y.Doc();
      Y.applyUpdate(d, Buffer.from(v.state, 'base64'));
      return readMeta(d).headline;
    };
    expect(await headlineOf(review.versions[0]!.id)).toBe('Banjir rob di Jakarta Utara');
    expect(await headlineOf(review.versions[2]!.id)).toBe('Rob rob di Jakarta Utara');

    expect((await app.request('GET', `/stories/${storyId}/review`, { token: tokens.penulis2 })).statusCode).toBe(403);
    expect((await app.request('GET', `/stories/${storyId}/versions/${review.versions[0]!.id}`, { token: tokens.redaktur2 })).statusCode).toBe(403);
    expect((await app.request('GET', `/stories/${storyId}/versions/${randomUUID()}`, { token: tokens.penulis1 })).statusCode).toBe(404);
    expect((await app.request('GET', `/stories/${randomUUID()}/review`, { token: tokens.penulis1 })).statusCode).toBe(404);
  });

  it('the review names who edited the text and when: the redaktur who edited after the filing, the penulis whose edit went with it, the admin who edited only before', async () => {
    const minute = 60_000;
    /** `username` reads the story from the server, changes it and sends the change (with `commands`, in one request). */
    async function editAs(username: string, storyId: string, change: (doc: Y.Doc) => void, ...commands: WorkflowCommandRequest[]) {
      const doc = new Y.Doc();
      const [read] = (await syncRaw(username, { stories: [{ id: storyId, stateVector: EMPTY_SV }] })).stories;
      if (!read?.ok) throw new Error('no story');
      Y.applyUpdate(doc, Buffer.from(read.update, 'base64'));
      const before = Y.encodeStateVector(doc);
      change(doc);
      const answer = await syncRaw(username, {
        stories: [{ id: storyId, update: b64(Y.encodeStateAsUpdate(doc, before)), stateVector: b64(Y.encodeStateVector(doc)) }],
        ...(commands.length ? { commands } : {}),
      });
      expect(answer.stories[0]).toMatchObject({ ok: true });
      for (const c of answer.commands ?? []) expect(c).toMatchObject({ ok: true });
    }
    const start = app.clock.now;
    const storyId = await pushNew(readyDoc());
    app.clock.now = start + 10 * minute;
    await editAs('admin', storyId, (d) => getMetaText(d, 'headline').insert(0, 'Kilas: '));
    app.clock.now = start + 20 * minute;
    // The penulis's last touch goes with the submit: it is part of the filed version, not after it.
    await editAs('penulis1', storyId, (d) => getMetaMap(d).set('dateline', 'JAKARTA UTARA'), command(storyId, 'submit'));
    app.clock.now = start + 30 * minute;
    await run('redaktur1', command(storyId, 'claim'));
    app.clock.now = start + 40 * minute;
    await editAs('redaktur1', storyId, (d) => getMetaText(d, 'headline').delete(0, 7));
    app.clock.now = start + 50 * minute;
    await editAs('redaktur1', storyId, (d) => getMetaText(d, 'headline').insert(0, 'Rob: '));

    const review = (await app.request('GET', `/stories/${storyId}/review`, { token: tokens.penulis1 })).json() as StoryReviewResponse;
    expect(review.editors).toEqual([
      { userId: userId('admin'), firstAt: start + 10 * minute, lastAt: start + 10 * minute },
      { userId: userId('penulis1'), firstAt: start, lastAt: start + 20 * minute },
      { userId: userId('redaktur1'), firstAt: start + 40 * minute, lastAt: start + 50 * minute },
    ]);
    const [filed] = review.versions;
    expect(filed).toMatchObject({ kind: 'filed', createdAt: start + 20 * minute });
    expect(review.editors.filter((e) => e.lastAt > filed!.createdAt).map((e) => e.userId)).toEqual([userId('redaktur1')]);
  });

  it('comments: threads, replies, resolve and reopen, each id applied once; every change moves the story in the changes feed with its status', async () => {
    const storyId = await pushNew(readyDoc());
    const feed = async (username: string, since: number) => (await app.request('GET', `/changes?since=${since}`, { token: tokens[username] })).json() as ChangesResponse;
    const start = (await feed('redaktur1', 0)).cursor;
    const threadId = randomUUID();
    const post = { kind: 'post', id: threadId, storyId, threadId, body: 'Sumbernya siapa?', quote: 'Air laut pasang', createdAt: app.clock.now } as const;
    const replyId = randomUUID();
    const reply = { kind: 'post', id: replyId, storyId, threadId, body: 'BPBD DKI.', quote: '', createdAt: app.clock.now } as const;
    const resolve = { kind: 'resolve', id: randomUUID(), storyId, threadId, createdAt: app.clock.now } as const;
    expect((await syncRaw('redaktur1', { stories: [], comments: [post, post] })).comments).toEqual([
      { id: threadId, ok: true },
      { id: threadId, ok: true },
    ]);
    const afterPost = await feed('penulis1', start);
    expect(afterPost.stories).toEqual([expect.objectContaining({ id: storyId, status: 'draft' })]);
    expect((await syncRaw('penulis1', { stories: [], comments: [reply, resolve] })).comments).toEqual([
      { id: replyId, ok: true },
      { id: resolve.id, ok: true },
    ]);
    expect((await feed('redaktur1', afterPost.cursor)).stories.map((s) => s.id)).toEqual([storyId]);

    // Refusals: an unknown thread, someone who cannot see the story, a reused id with other content.
    const orphan = { ...reply, id: randomUUID(), threadId: randomUUID() };
    const stranger = { ...reply, id: randomUUID() };
    const [unknownThread] = (await syncRaw('penulis1', { stories: [], comments: [orphan] })).comments!;
    const [notTheirs] = (await syncRaw('penulis2', { stories: [], comments: [stranger] })).comments!;
    const [reused] = (await syncRaw('penulis1', { stories: [], comments: [{ ...reply, body: 'Lain' }] })).comments!;
    expect([unknownThread, notTheirs, reused].map((r) => (r!.ok ? 'ok' : r!.error.code))).toEqual(['not_found', 'forbidden', 'conflict']);
    expect(await written(storyId)).toMatchObject({ comments: 2, thread_ops: 1 });

    const review = (await app.request('GET', `/stories/${storyId}/review`, { token: tokens.redaktur1 })).json() as StoryReviewResponse;
    expect(review.comments.map((c) => [c.id, c.threadId, c.authorId, c.body])).toEqual([
      [threadId, threadId, userId('redaktur1'), 'Sumbernya siapa?'],
      [replyId, threadId, userId('penulis1'), 'BPBD DKI.'],
    ]);
    expect(review.threads).toEqual([{ threadId, resolved: true, resolvedBy: userId('penulis1'), resolvedAt: app.clock.now }]);
    await syncRaw('redaktur1', { stories: [], comments: [{ ...resolve, kind: 'reopen', id: randomUUID() }] });
    const reopened = (await app.request('GET', `/stories/${storyId}/review`, { token: tokens.redaktur1 })).json() as StoryReviewResponse;
    expect(reopened.threads).toEqual([{ threadId, resolved: false, resolvedBy: null, resolvedAt: null }]);
  });

  it('POST /reviews answers each asked story as GET /stories/:id/review does for that viewer, refusals per id, in the order asked', async () => {
    // A story with everything a review holds: versions, a revision note, a thread with a reply and a resolve, editors.
    const busy = await pushNew(readyDoc());
    await run('penulis1', command(busy, 'submit'));
    await run('redaktur1', command(busy, 'claim'), command(busy, 'request_revision', { note: 'Cek angka.' }));
    const plain = await pushNew(readyDoc());
    const threadId = randomUUID();
    const plainThread = randomUUID();
    // Two stories' comments interleaved: each review keeps its own, in order.
    await syncRaw('redaktur1', {
      stories: [],
      comments: [
        { kind: 'post', id: threadId, storyId: busy, threadId, body: 'Angka dari mana?', quote: 'Air laut', createdAt: app.clock.now },
        { kind: 'post', id: plainThread, storyId: plain, threadId: plainThread, body: 'Judul terlalu panjang.', quote: 'Banjir', createdAt: app.clock.now },
        { kind: 'post', id: randomUUID(), storyId: busy, threadId, body: 'BMKG.', quote: '', createdAt: app.clock.now },
        { kind: 'resolve', id: randomUUID(), storyId: busy, threadId, createdAt: app.clock.now },
        { kind: 'post', id: randomUUID(), storyId: plain, threadId: plainThread, body: 'Sudah dipendekkan.', quote: '', createdAt: app.clock.now },
      ],
    });
    // A second revision request: the note is the last one's.
    await run('penulis1', command(busy, 'submit'));
    await run('redaktur1', command(busy, 'claim'), command(busy, 'request_revision', { note: 'Tambah foto.' }));
    const approved = await pushNew(readyDoc());
    await run('penulis1', command(approved, 'submit'));
    await run('redaktur1', command(approved, 'claim'), command(approved, 'approve'));
    // penulis2's own story, in no rubrik and with no redaktur: only penulis2 and the admin see it.
    const othersDoc = new Y.Doc();
    getMetaText(othersDoc, 'headline').insert(0, 'Catatan pribadi');
    const others = await pushNew(othersDoc, 'penulis2');
    const unknown = randomUUID();
    const ids = [approved, unknown, busy, others, plain, busy];

    for (const viewer of ['penulis1', 'penulis2', 'redaktur1', 'redaktur2', 'admin']) {
      const res = await app.request('POST', '/reviews', { token: tokens[viewer], body: { ids } });
      expect(res.statusCode, res.body).toBe(200);
      const { reviews } = res.json() as ReviewsResponse;
      expect(reviews.map((r) => r.id), viewer).toEqual(ids);
      for (const [i, id] of ids.entries()) {
        const single = await app.request('GET', `/stories/${id}/review`, { token: tokens[viewer] });
        const label = `${viewer} ${i}`;
        if (single.statusCode === 200) {
          expect(reviews[i], label).toEqual({ id, ok: true, review: single.json() });
        } else {
          // The refusal the single GET gives, and nothing else about the story.
          const { error } = single.json() as { error: { code: string; message: string } };
          expect([403, 404], label).toContain(single.statusCode);
          expect(reviews[i], label).toEqual({ id, ok: false, error: { code: error.code, message: error.message } });
        }
      }
      const outcome = reviews.map((r) => (r.ok ? 'ok' : r.error.code));
      const expected = {
        penulis1: ['ok', 'not_found', 'ok', 'forbidden', 'ok', 'ok'],
        penulis2: ['forbidden', 'not_found', 'forbidden', 'ok', 'forbidden', 'forbidden'],
        redaktur1: ['ok', 'not_found', 'ok', 'forbidden', 'ok', 'ok'],
        redaktur2: ['forbidden', 'not_found', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
        admin: ['ok', 'not_found', 'ok', 'ok', 'ok', 'ok'],
      }[viewer];
      expect(outcome, viewer).toEqual(expected);
    }
    // The busy story's review really carries what the batch has to get right.
    const { reviews } = (await app.request('POST', '/reviews', { token: tokens.penulis1, body: { ids: [busy] } })).json() as ReviewsResponse;
    expect(reviews[0]).toMatchObject({
      ok: true,
      review: { status: 'revision_requested', revisionNote: 'Tambah foto.', threads: [{ threadId, resolved: true }], versions: [{ kind: 'filed' }, { kind: 'filed' }] },
    });
    expect(reviews[0]!.ok && reviews[0]!.review.comments).toHaveLength(2);
    expect(reviews[0]!.ok && reviews[0]!.review.editors).toHaveLength(1);
  });

  it('POST /versions answers each asked version as GET /stories/:id/versions/:versionId does for that viewer, refusals per version, in the order asked', async () => {
    const doc = readyDoc();
    const story = await pushNew(doc);
    await run('penulis1', command(story, 'submit'));
    await run('redaktur1', command(story, 'claim'), command(story, 'approve'));
    const other = await pushNew(readyDoc());
    await run('penulis1', command(other, 'submit'));
    const versionsOf = async (id: string) => ((await app.request('GET', `/stories/${id}/review`, { token: tokens.admin })).json() as StoryReviewResponse).versions;
    const [filed, edited] = await versionsOf(story);
    const [otherFiled] = await versionsOf(other);
    const asked = [
      { storyId: story, versionId: edited!.id },
      { storyId: other, versionId: otherFiled!.id },
      { storyId: story, versionId: filed!.id },
      { storyId: story, versionId: randomUUID() },
      // A real version, asked under another story.
      { storyId: story, versionId: otherFiled!.id },
      { storyId: randomUUID(), versionId: filed!.id },
    ];
    for (const viewer of ['penulis1', 'penulis2', 'redaktur1', 'redaktur2', 'admin']) {
      const res = await app.request('POST', '/versions', { token: tokens[viewer], body: { versions: asked } });
      expect(res.statusCode, res.body).toBe(200);
      const { versions } = res.json() as VersionsResponse;
      expect(versions.map((v) => [v.storyId, v.versionId]), viewer).toEqual(asked.map((a) => [a.storyId, a.versionId]));
      for (const [i, a] of asked.entries()) {
        const single = await app.request('GET', `/stories/${a.storyId}/versions/${a.versionId}`, { token: tokens[viewer] });
        const label = `${viewer} ${i}`;
        if (single.statusCode === 200) {
          expect(versions[i], label).toEqual({ ...a, ok: true, ...(single.json() as VersionResponse) });
        } else {
          const { error } = single.json() as { error: { code: string; message: string } };
          expect([403, 404], label).toContain(single.statusCode);
          expect(versions[i], label).toEqual({ ...a, ok: false, error: { code: error.code, message: error.message } });
        }
      }
      const outcome = versions.map((v) => (v.ok ? 'ok' : v.error.code));
      const mayRead = ['penulis1', 'redaktur1', 'admin'].includes(viewer);
      expect(outcome, viewer).toEqual(mayRead ? ['ok', 'ok', 'ok', 'not_found', 'not_found', 'not_found'] : ['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'not_found']);
    }
    const { versions } = (await app.request('POST', '/versions', { token: tokens.penulis1, body: { versions: [asked[0]] } })).json() as VersionsResponse;
    const kept = new Y.Doc();
    Y.applyUpdate(kept, Buffer.from((versions[0] as VersionResponse).state, 'base64'));
    expect(readMeta(kept).headline).toBe('Banjir rob di Jakarta Utara');

    const bad = [{ versions: [] }, { versions: Array.from({ length: 51 }, () => asked[0]) }, { versions: [{ storyId: story }] }, { versions: [{ ...asked[0], more: 1 }] }];
    for (const body of bad) {
      const r = await app.request('POST', '/versions', { token: tokens.penulis1, body });
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json()).toMatchObject({ error: { code: 'invalid_request' } });
    }
  });

  it('POST /reviews refuses bad input with a clear 400: no ids, more than 200, not ids, extra fields; and needs a session', async () => {
    const many = (n: number) => Array.from({ length: n }, () => randomUUID());
    const bad = [{ ids: [] }, { ids: many(201) }, { ids: ['not-an-id'] }, { ids: many(1), more: true }, {}, { ids: 'x' }];
    for (const body of bad) {
      const res = await app.request('POST', '/reviews', { token: tokens.penulis1, body });
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('body') } });
    }
    const full = await app.request('POST', '/reviews', { token: tokens.penulis1, body: { ids: many(200) } });
    expect(full.statusCode).toBe(200);
    expect((full.json() as ReviewsResponse).reviews.every((r) => !r.ok && r.error.code === 'not_found')).toBe(true);
    expect((await app.request('POST', '/reviews', { body: { ids: many(1) } })).statusCode).toBe(401);
  });

  it('the changes feed carries the status the server decided', async () => {
    const storyId = await pushNew(readyDoc());
    await run('penulis1', command(storyId, 'submit'));
    const page = (await app.request('GET', '/changes?since=0', { token: tokens.redaktur1 })).json() as ChangesResponse;
    expect(page.stories.find((s) => s.id === storyId)).toMatchObject({ status: 'submitted' });
  });
});
