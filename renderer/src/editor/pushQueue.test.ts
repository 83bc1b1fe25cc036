import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
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
    expect(states).toEqual(['saving', 'error', 'saved']);
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
});
