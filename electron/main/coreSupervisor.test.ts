import { EventEmitter } from 'node:events';
import type { MessagePortMain } from 'electron';
import { describe, expect, it } from 'vitest';
import { CONNECT_MESSAGE, CoreSupervisor, SHUTDOWN_MESSAGE, type CoreChild } from './coreSupervisor';

/** Stands in for a utility process: the process boundary is the only thing faked. */
class FakeChild extends EventEmitter implements CoreChild {
  readonly messages: Array<{ message: unknown; transfer: unknown[] }> = [];
  killed = false;
  /** 'shutdown': exits when asked; 'kill': only when killed; 'never': hung for good. */
  constructor(private readonly exits: 'shutdown' | 'kill' | 'never' = 'shutdown') {
    super();
  }
  postMessage(message: unknown, transfer: MessagePortMain[] = []) {
    this.messages.push({ message, transfer });
    if (message === SHUTDOWN_MESSAGE && this.exits === 'shutdown') setImmediate(() => this.emit('exit', 0));
  }
  kill() {
    this.killed = true;
    if (this.exits === 'kill') setImmediate(() => this.emit('exit', 0));
    return true;
  }
  crash(code = 1) {
    this.emit('exit', code);
  }
}

function setup(options: { exits?: 'shutdown' | 'kill' | 'never' } = {}) {
  const children: FakeChild[] = [];
  let clock = 0;
  const events: string[] = [];
  const supervisor = new CoreSupervisor(
    () => {
      const child = new FakeChild(options.exits ?? 'shutdown');
      children.push(child);
      return child;
    },
    { maxRestarts: 2, windowMs: 1_000 },
    {
      now: () => clock,
      onRestart: (code, count) => events.push(`restart ${code} ${count}`),
      onGiveUp: (code) => events.push(`give up ${code}`),
    },
  );
  return { supervisor, children, events, advance: (ms: number) => (clock += ms) };
}

const port = {} as MessagePortMain;

describe('CoreSupervisor', () => {
  it('hands ports to core with the connect message', () => {
    const { supervisor, children } = setup();
    expect(supervisor.connect(port)).toBe(false);
    supervisor.start();
    expect(supervisor.connect(port)).toBe(true);
    expect(children[0]?.messages).toEqual([{ message: CONNECT_MESSAGE, transfer: [port] }]);
  });

  it('restarts a crashed core, gives up after too many crashes in the window, and forgives old crashes', () => {
    const { supervisor, children, events, advance } = setup();
    supervisor.start();
    children[0]?.crash(1);
    children[1]?.crash(2);
    expect(children).toHaveLength(3);
    expect(supervisor.connect(port)).toBe(true);
    expect(children[2]?.messages).toHaveLength(1);
    advance(5_000); // the earlier crashes are outside the window now
    children[2]?.crash(3);
    children[3]?.crash(4);
    children[4]?.crash(5);
    expect(events).toEqual(['restart 1 1', 'restart 2 2', 'restart 3 1', 'restart 4 2', 'give up 5']);
    expect(children).toHaveLength(5);
    expect(supervisor.running).toBe(false);
    expect(supervisor.connect(port)).toBe(false);
  });

  it('stops gracefully by asking core to shut down, without restarting it', async () => {
    const { supervisor, children, events } = setup();
    supervisor.start();
    await supervisor.stop();
    expect(children[0]?.messages.map((m) => m.message)).toEqual([SHUTDOWN_MESSAGE]);
    expect(children[0]?.killed).toBe(false);
    expect(children).toHaveLength(1);
    expect(events).toEqual([]);
    supervisor.start(); // a stopped supervisor stays stopped
    expect(children).toHaveLength(1);
  });

  it('kills a core that ignores the shutdown, and never waits forever', async () => {
    const deaf = setup({ exits: 'kill' });
    deaf.supervisor.start();
    await deaf.supervisor.stop(20);
    expect(deaf.children[0]?.killed).toBe(true);

    const hung = setup({ exits: 'never' });
    hung.supervisor.start();
    const started = Date.now();
    await hung.supervisor.stop(20);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
