import type { MessagePortMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createPortBroker, isTrustedPortRequest, PORT_CHANNEL } from './portBroker';

const mainFrame = { url: 'app://ruang/index.html', processId: 4, routingId: 1 };
const ourContents = { mainFrame, postMessage: vi.fn() };

function fakePort() {
  return { close: vi.fn() } as unknown as MessagePortMain & { close: ReturnType<typeof vi.fn> };
}

describe('core port broker', () => {
  it('trusts only our window main frame showing app:// content', () => {
    const window = { webContents: ourContents, mainFrame };
    expect(isTrustedPortRequest(ourContents, { ...mainFrame }, window)).toBe(true);
    expect(isTrustedPortRequest({}, mainFrame, window)).toBe(false); // another WebContents
    expect(isTrustedPortRequest(ourContents, { ...mainFrame, routingId: 2 }, window)).toBe(false); // a subframe
    expect(isTrustedPortRequest(ourContents, { ...mainFrame, url: 'https://evil.example/' }, window)).toBe(false);
    expect(isTrustedPortRequest(ourContents, null, window)).toBe(false);
    expect(isTrustedPortRequest(ourContents, mainFrame, null)).toBe(false);
  });

  it('gives one end to core and the other to the page', () => {
    const port1 = fakePort();
    const port2 = fakePort();
    const connectCore = vi.fn(() => true);
    const sender = { postMessage: vi.fn() };
    const contents = { mainFrame, postMessage: sender.postMessage };
    const broker = createPortBroker({ windowContents: () => contents as never, connectCore, createChannel: () => ({ port1, port2 }) });
    broker({ sender: contents, senderFrame: mainFrame });
    expect(connectCore).toHaveBeenCalledWith(port1);
    expect(sender.postMessage).toHaveBeenCalledWith(PORT_CHANNEL, null, [port2]);
  });

  it('refuses untrusted senders without making a channel, and closes both ends when core is down', () => {
    const createChannel = vi.fn(() => ({ port1: fakePort(), port2: fakePort() }));
    const refused: string[] = [];
    const contents = { mainFrame, postMessage: vi.fn() };
    const untrusted = createPortBroker({ windowContents: () => contents as never, connectCore: () => true, createChannel, onRefused: (r) => refused.push(r) });
    untrusted({ sender: { postMessage: vi.fn() }, senderFrame: mainFrame });
    expect(createChannel).not.toHaveBeenCalled();

    const port1 = fakePort();
    const port2 = fakePort();
    const down = createPortBroker({ windowContents: () => contents as never, connectCore: () => false, createChannel: () => ({ port1, port2 }), onRefused: (r) => refused.push(r) });
    down({ sender: contents, senderFrame: mainFrame });
    expect(port1.close).toHaveBeenCalled();
    expect(port2.close).toHaveBeenCalled();
    expect(contents.postMessage).not.toHaveBeenCalled();
    expect(refused).toHaveLength(2);
  });
});
