import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RpcError, type RpcErrorCode } from '../../../shared/rpc/protocol';
import { PushQueue, type Clock, type SaveState } from './pushQueue';

/** A manual clock: timers run only when the test advances time. */
function fakeClock(): Clock & { advance(ms: number): Promise<void> } {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    async advance(ms) {
      const end = now + ms;
      await settle();
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

/** Real Yjs updates from typing into a text, one update per character. */
function keystrokes(text: string): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const t = doc.getText('t');
  for (const ch of text) t.insert(t.length, ch);
  return { doc, updates };
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

/** Whether a (merged) batch holds the struct of this one-character update. */
function carries(batch: Uint8Array, u: Uint8Array): boolean {
  const { id } = Y.decodeUpdate(u).structs[0]!;
  return Y.decodeUpdate(batch).structs.some((b) => b.id.client === id.client && b.id.clock <= id.clock && id.clock < b.id.clock + b.length);
}

describe('PushQueue', () => {
  it('sends the first update at once and batches a burst into one send per interval', async () => {
    const clock = fakeClock();
    const sent: Uint8Array[] = [];
    const q = new PushQueue({ send: async (u) => void sent.push(u), clock, intervalMs: 250 });
    const { updates } = keystrokes('halo dunia');
    q.add(updates[0]!);
    await clock.advance(0);
    expect(sent).toHaveLength(1);
    for (const u of updates.slice(1)) {
      q.add(u);
      await clock.advance(20); // typing at 50 chars/s
    }
    // 9 more keystrokes over 180 ms: still inside the 250 ms window after the first send
    expect(sent).toHaveLength(1);
    await clock.advance(100);
    expect(sent).toHaveLength(2);
    expect(textOf(sent)).toBe('halo dunia');
    expect(q.saveState).toBe('saved');
  });

  it('never sends more often than the interval while typing continues', async () => {
    const clock = fakeClock();
    const sendTimes: number[] = [];
    const q = new PushQueue({ send: async () => void sendTimes.push(clock.now()), clock, intervalMs: 250 });
    const { updates } = keystrokes('x'.repeat(100));
    for (const u of updates) {
      q.add(u);
      await clock.advance(10);
    }
    await clock.advance(1000);
    for (let i = 1; i < sendTimes.length; i++) expect(sendTimes[i]! - sendTimes[i - 1]!).toBeGreaterThanOrEqual(250);
    // 1,000 ms of typing: about 5 sends, and every keystroke is sent within 1 s
    expect(sendTimes.length).toBeGreaterThanOrEqual(4);
    expect(sendTimes.length).toBeLessThanOrEqual(6);
  });

  it('keeps a failed batch, reports error, and retries until core accepts it', async () => {
    const clock = fakeClock();
    const states: SaveState[] = [];
    let fail = true;
    const persisted: Uint8Array[] = [];
    const q = new PushQueue({
      send: async (u) => {
        if (fail) throw new Error('transport_closed');
        persisted.push(u);
      },
      clock,
      onState: (s) => states.push(s),
    });
    const { updates } = keystrokes('abc');
    q.add(updates[0]!);
    await clock.advance(0);
    expect(q.saveState).toBe('error');
    q.add(updates[1]!);
    q.add(updates[2]!);
    await clock.advance(3000);
    expect(persisted).toHaveLength(0);
    expect(q.hasUnsent).toBe(true);
    fail = false;
    await clock.advance(6000);
    expect(textOf(persisted)).toBe('abc');
    expect(q.saveState).toBe('saved');
    // The failed batch goes first, alone, then what was typed while core was away.
    expect(persisted).toHaveLength(2);
    expect(states).toEqual(['saving', 'error', 'saving', 'saved']);
  });

  it('flush sends at once, bypassing the window, and reports success', async () => {
    const clock = fakeClock();
    const sent: Uint8Array[] = [];
    const q = new PushQueue({ send: async (u) => void sent.push(u), clock, intervalMs: 250 });
    const { updates } = keystrokes('ab');
    q.add(updates[0]!);
    await clock.advance(0);
    q.add(updates[1]!); // would wait 250 ms
    await expect(q.flush()).resolves.toBe(true);
    expect(textOf(sent)).toBe('ab');
    await expect(q.flush()).resolves.toBe(true);
    expect(sent).toHaveLength(2);
  });

  it('flush resolves false when core is unreachable and keeps the data', async () => {
    const clock = fakeClock();
    const q = new PushQueue({ send: () => Promise.reject(new Error('down')), clock });
    const { updates } = keystrokes('a');
    q.add(updates[0]!);
    await expect(q.flush()).resolves.toBe(false);
    expect(q.unsentUpdate()).not.toBeNull();
    expect(textOf([q.unsentUpdate()!])).toBe('a');
    q.dispose();
  });

  it('waits for the batch in flight and sends the newer one after it', async () => {
    const clock = fakeClock();
    const sent: Uint8Array[] = [];
    let release: () => void = () => {};
    let calls = 0;
    const q = new PushQueue({
      send: (u) => {
        calls++;
        sent.push(u);
        return calls === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      clock,
    });
    const { updates } = keystrokes('ab');
    q.add(updates[0]!);
    await clock.advance(0);
    q.add(updates[1]!);
    await clock.advance(1000);
    expect(calls).toBe(1); // one in flight at a time
    expect(q.saveState).toBe('saving');
    release();
    await clock.advance(0);
    expect(calls).toBe(2);
    expect(textOf(sent)).toBe('ab');
    expect(q.saveState).toBe('saved');
  });

  it('sets a refused batch aside and lets later edits through; nothing is lost', async () => {
    const clock = fakeClock();
    const { updates } = keystrokes('abcdef');
    const poison = updates[2]!; // 'c': core refuses whatever batch carries it
    const persisted: Uint8Array[] = [];
    const setAside: Array<{ update: Uint8Array; code: string }> = [];
    const states: SaveState[] = [];
    const q = new PushQueue({
      send: async (u) => {
        if (carries(u, poison)) throw new RpcError('invalid_input', 'Not a valid Yjs update for this story');
        persisted.push(u);
      },
      onSetAside: (update, error) => setAside.push({ update, code: (error as RpcError).code }),
      onState: (s) => states.push(s),
      clock,
    });
    q.add(updates[0]!);
    await clock.advance(0); // 'a' alone
    q.add(updates[1]!);
    q.add(updates[2]!);
    await clock.advance(300); // 'bc' refused
    expect(setAside).toHaveLength(1);
    expect(setAside[0]!.code).toBe('invalid_input');
    for (const u of updates.slice(3)) {
      q.add(u);
      await clock.advance(300);
    }
    // Later edits were not held behind the refused batch ...
    expect(q.saveState).toBe('saved');
    expect(q.hasUnsent).toBe(false);
    expect(q.setAsideBatches).toBe(1);
    // ... and what core took plus what was set aside is every keystroke.
    expect(textOf([...persisted, ...setAside.map((x) => x.update)])).toBe('abcdef');
    expect(persisted.length).toBe(4); // 'a', 'd', 'e', 'f'
    expect(states).not.toContain('error'); // a refusal is not "retrying": the user is told differently
  });

  it('retries transient failures with growing backoff, keeping the batch at the head', async () => {
    const clock = fakeClock();
    const attempts: number[] = [];
    let down = true;
    const persisted: Uint8Array[] = [];
    const setAside: Uint8Array[] = [];
    const q = new PushQueue({
      send: async (u) => {
        attempts.push(clock.now());
        if (down) throw new RpcError('transport_closed', 'Not connected to core');
        persisted.push(u);
      },
      onSetAside: (u) => setAside.push(u),
      retryBackoff: { baseMs: 500, maxMs: 4_000, jitter: 0 },
      clock,
    });
    const { updates } = keystrokes('ab');
    q.add(updates[0]!);
    await clock.advance(20_000);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps.slice(0, 5)).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect(setAside).toHaveLength(0); // never given up
    expect(q.saveState).toBe('error');
    q.add(updates[1]!);
    down = false;
    await clock.advance(5_000);
    expect(textOf(persisted)).toBe('ab');
    expect(q.saveState).toBe('saved');
  });

  it("retries core's own failures ('internal') a bounded number of times, then sets the batch aside", async () => {
    const clock = fakeClock();
    let calls = 0;
    const setAside: Array<{ update: Uint8Array; code: RpcErrorCode }> = [];
    const persisted: Uint8Array[] = [];
    const q = new PushQueue({
      send: async (u) => {
        calls++;
        if (textOf([u]) === 'a') throw new RpcError('internal', 'disk I/O error');
        persisted.push(u);
      },
      onSetAside: (update, error) => setAside.push({ update, code: (error as RpcError).code }),
      maxBoundedAttempts: 3,
      retryBackoff: { baseMs: 100, maxMs: 100, jitter: 0 },
      clock,
    });
    const { updates } = keystrokes('ab');
    q.add(updates[0]!);
    await clock.advance(50);
    q.add(updates[1]!); // waits behind the failing head
    await clock.advance(50);
    expect(persisted).toHaveLength(0);
    await clock.advance(1_000);
    expect(calls).toBe(4); // 3 tries of 'a', then 'b'
    expect(setAside.map((s) => s.code)).toEqual(['internal']);
    expect(textOf([...setAside.map((s) => s.update), ...persisted])).toBe('ab');
    expect(q.saveState).toBe('saved');
  });

  it('a deadline turns a hung send into a retry; the late answer changes nothing', async () => {
    const clock = fakeClock();
    const answers: Array<() => void> = [];
    const sent: Uint8Array[] = [];
    const q = new PushQueue({
      send: (u) =>
        new Promise<void>((resolve) => {
          sent.push(u);
          if (sent.length === 1) answers.push(resolve); // core hangs on the first push
          else resolve();
        }),
      sendTimeoutMs: 10_000,
      retryBackoff: { baseMs: 500, maxMs: 500, jitter: 0 },
      clock,
    });
    const { updates } = keystrokes('ab');
    q.add(updates[0]!);
    await clock.advance(5_000);
    q.add(updates[1]!);
    await clock.advance(4_999);
    expect(sent).toHaveLength(1);
    expect(q.saveState).toBe('saving');
    await clock.advance(1);
    expect(q.saveState).toBe('error'); // timed out: retrying, data kept
    await clock.advance(1_000);
    expect(sent).toHaveLength(3); // the same batch again, then the newer one
    expect(textOf(sent.slice(1))).toBe('ab');
    expect(q.saveState).toBe('saved');
    answers[0]!(); // the hung call finally answers
    await clock.advance(1_000);
    expect(sent).toHaveLength(3);
    expect(q.saveState).toBe('saved');
  });

  it('never sends a batch that changes nothing', async () => {
    const clock = fakeClock();
    const sent: Uint8Array[] = [];
    const q = new PushQueue({ send: async (u) => void sent.push(u), clock });
    q.add(Y.encodeStateAsUpdate(new Y.Doc())); // an empty document's state: nothing in it
    q.add(Y.mergeUpdates([]));
    await clock.advance(1_000);
    await expect(q.flush()).resolves.toBe(true);
    expect(sent).toHaveLength(0);
    expect(q.saveState).toBe('saved');
    expect(q.hasUnsent).toBe(false);
  });

  it('flush reports success once the head and what follows are in; a permanent refusal does not make it fail', async () => {
    const clock = fakeClock();
    const persisted: Uint8Array[] = [];
    const setAside: Uint8Array[] = [];
    const { updates } = keystrokes('ab');
    const q = new PushQueue({
      send: async (u) => {
        if (carries(u, updates[0]!)) throw new RpcError('not_found', 'No story');
        persisted.push(u);
      },
      onSetAside: (u) => setAside.push(u),
      clock,
    });
    q.add(updates[0]!);
    await clock.advance(0);
    q.add(updates[1]!);
    await expect(q.flush()).resolves.toBe(true);
    expect(textOf([...setAside, ...persisted])).toBe('ab');
    expect(q.unsentUpdate()).toBeNull();
  });
});
