import { EventEmitter } from 'node:events';
import type { IpcMain } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoreSupervisor, SHUTDOWN_MESSAGE, type CoreChild } from './coreSupervisor';
import { createQuitSequence, RENDERER_FLUSH_TIMEOUT_MS } from './quitSequence';
import { FLUSH_DONE_CHANNEL, FLUSH_REQUEST_CHANNEL, requestRendererFlush } from './rendererFlush';

/**
 * The quit sequence as main.ts wires it, with Electron's objects faked at the process
 * boundary: ipcMain (an EventEmitter), the window's WebContents (the page answers through
 * the preload's channel, or never), the core utility process, and app.quit.
 */
function setup(page: 'answers' | 'silent' | 'none' = 'answers', answerAfterMs = 200) {
  const events: string[] = [];
  const ipcMain = new EventEmitter();
  const contents = {
    send: vi.fn((channel: string, id: number) => {
      events.push(`page asked: ${channel}`);
      if (page !== 'answers') return;
      setTimeout(() => {
        events.push('page flushed');
        ipcMain.emit(FLUSH_DONE_CHANNEL, { sender: contents }, id);
      }, answerAfterMs);
    }),
  };
  class FakeCore extends EventEmitter implements CoreChild {
    postMessage(message: unknown) {
      if (message === SHUTDOWN_MESSAGE) {
        events.push('core asked to stop');
        setImmediate(() => {
          events.push('core exited');
          this.emit('exit', 0);
        });
      }
    }
    kill() {
      return true;
    }
  }
  const supervisor = new CoreSupervisor(() => new FakeCore());
  supervisor.start();
  const app = new EventEmitter() as EventEmitter & { quit(): void };
  const quitSequence = createQuitSequence({
    flushRenderer: (timeoutMs) => requestRendererFlush({ contents: () => (page === 'none' ? null : contents), ipc: ipcMain as unknown as IpcMain }, timeoutMs),
    stopCore: () => supervisor.stop(),
    quit: () => app.quit(),
  });
  let quitPrevented = 0;
  // What app.quit() does: emit before-quit and quit unless a listener prevented it.
  app.quit = () => {
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) quitPrevented++;
    else events.push('app quit');
  };
  app.on('before-quit', (event: { preventDefault(): void }) => quitSequence.onBeforeQuit(event));
  return { events, app, contents, ipcMain, supervisor, quitSequence, prevented: () => quitPrevented };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('quit sequence', () => {
  it('asks the page to flush and stops core only once the page answered', async () => {
    const { events, app, prevented } = setup('answers', 200);
    app.quit();
    expect(prevented()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toEqual([`page asked: ${FLUSH_REQUEST_CHANNEL}`]); // core still running
    await vi.advanceTimersByTimeAsync(100);
    await vi.waitFor(() => expect(events).toContain('app quit'));
    expect(events).toEqual([`page asked: ${FLUSH_REQUEST_CHANNEL}`, 'page flushed', 'core asked to stop', 'core exited', 'app quit']);
  });

  it('stops core after the deadline when the page never answers', async () => {
    const { events, app } = setup('silent');
    app.quit();
    await vi.advanceTimersByTimeAsync(RENDERER_FLUSH_TIMEOUT_MS - 1);
    expect(events).toEqual([`page asked: ${FLUSH_REQUEST_CHANNEL}`]);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(events).toContain('app quit'));
    expect(events).toEqual([`page asked: ${FLUSH_REQUEST_CHANNEL}`, 'core asked to stop', 'core exited', 'app quit']);
  });

  it('stops core at once when there is no window, and asks only once when quit is repeated', async () => {
    const none = setup('none');
    none.app.quit();
    await vi.waitFor(() => expect(none.events).toContain('app quit'));
    expect(none.events).toEqual(['core asked to stop', 'core exited', 'app quit']);

    const twice = setup('answers', 200);
    twice.app.quit();
    twice.app.quit(); // e.g. Cmd+Q pressed again while the page flushes
    await vi.advanceTimersByTimeAsync(200);
    await vi.waitFor(() => expect(twice.events).toContain('app quit'));
    expect(twice.contents.send).toHaveBeenCalledTimes(1);
    expect(twice.events.filter((e) => e === 'core asked to stop')).toHaveLength(1);
  });

  it('ignores a flush answer from another sender or for another request', async () => {
    const { events, app, ipcMain } = setup('silent');
    app.quit();
    ipcMain.emit(FLUSH_DONE_CHANNEL, { sender: {} }, 1);
    ipcMain.emit(FLUSH_DONE_CHANNEL, { sender: {} }, 2);
    await vi.advanceTimersByTimeAsync(RENDERER_FLUSH_TIMEOUT_MS - 1);
    expect(events).not.toContain('core asked to stop');
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(events).toContain('app quit'));
    expect(ipcMain.listenerCount(FLUSH_DONE_CHANNEL)).toBe(0);
  });

  it('closing the window flushes first, then lets it close; a close during quit is not held again', async () => {
    const { events, quitSequence, app } = setup('answers', 200);
    const window = { closed: 0, close: vi.fn(), isDestroyed: () => false };
    const closeEvent = () => {
      let prevented = false;
      quitSequence.onWindowClose({ preventDefault: () => (prevented = true) }, window);
      return prevented;
    };
    expect(closeEvent()).toBe(true);
    expect(closeEvent()).toBe(true); // a second click while flushing: still held, no second request
    await vi.advanceTimersByTimeAsync(200);
    await vi.waitFor(() => expect(window.close).toHaveBeenCalledTimes(1));
    expect(closeEvent()).toBe(false); // the close main re-issued goes through
    expect(events).toEqual([`page asked: ${FLUSH_REQUEST_CHANNEL}`, 'page flushed']);

    const other = { close: vi.fn(), isDestroyed: () => false };
    app.quit();
    let prevented = false;
    quitSequence.onWindowClose({ preventDefault: () => (prevented = true) }, other);
    expect(prevented).toBe(false);
  });
});
