import { describe, expect, it } from 'vitest';
import { flushOpenSessions, registerFlusher } from './openSessions';
import { answerShellFlushRequests } from './shellFlush';

describe('flushing open sessions at quit', () => {
  it("answers the shell's request only once every open session flushed; a failing one does not hold the rest", async () => {
    const done: string[] = [];
    let releaseSlow: () => void = () => {};
    const offSlow = registerFlusher(() => new Promise<void>((r) => (releaseSlow = r)).then(() => void done.push('slow')));
    const offFailing = registerFlusher(() => Promise.reject(new Error('core gone')));
    const offQuick = registerFlusher(async () => void done.push('quick'));

    let flush: (() => Promise<void>) | null = null;
    answerShellFlushRequests({ platform: 'linux', requestCorePort: () => {}, onFlushRequest: (f) => (flush = f) });
    expect(flush).not.toBeNull();

    let answered = false;
    const answering = flush!().then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toEqual(['quick']);
    expect(answered).toBe(false); // still waiting for the slow session
    releaseSlow();
    await answering;
    expect(done).toEqual(['quick', 'slow']);

    // A closed session is no longer flushed.
    offSlow();
    offFailing();
    offQuick();
    done.length = 0;
    await flushOpenSessions();
    expect(done).toEqual([]);
  });

  it('does nothing without a shell that offers flush requests (web mode, an older preload)', () => {
    expect(() => answerShellFlushRequests(undefined)).not.toThrow();
    expect(() => answerShellFlushRequests({ platform: 'linux', requestCorePort: () => {} })).not.toThrow();
  });
});
