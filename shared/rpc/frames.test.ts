import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './frames';
import type { RpcMessage } from './protocol';

describe('WebSocket frames', () => {
  it('sends messages without bytes as JSON text', () => {
    const message: RpcMessage = { t: 'req', id: 7, method: 'stories.search', input: { query: 'Klaten – “mobil”' } };
    const frame = encodeFrame(message);
    expect(typeof frame).toBe('string');
    expect(decodeFrame(frame)).toEqual(message);
  });

  it('carries Uint8Arrays as raw bytes in one binary frame', () => {
    const state = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
    const update = Uint8Array.of(1, 2, 3);
    const message: RpcMessage = { t: 'res', id: 1, ok: true, result: { storyId: 'ä', state, nested: [{ update }] } };
    const frame = encodeFrame(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    expect((frame as Uint8Array).byteLength).toBeLessThan(state.byteLength + 200);
    const back = decodeFrame(frame) as { result: { state: Uint8Array; nested: { update: Uint8Array }[]; storyId: string } };
    expect(back.result.state).toBeInstanceOf(Uint8Array);
    expect(back.result.state).toEqual(state);
    expect(back.result.nested[0]!.update).toEqual(update);
    expect(back.result.storyId).toBe('ä');
  });

  it('carries byte arrays that define toJSON (Node Buffers) as raw bytes too', () => {
    // Node's Buffer is a Uint8Array whose toJSON runs before any replacer: it must not
    // arrive as {type:'Buffer',data:[…]}.
    class BufferLike extends Uint8Array {
      toJSON(): unknown {
        return { type: 'Buffer', data: Array.from(this) };
      }
    }
    const bytes = new BufferLike([5, 6, 7]);
    const frame = encodeFrame({ t: 'res', id: 2, ok: true, result: { bytes } });
    expect(frame).toBeInstanceOf(Uint8Array);
    const back = decodeFrame(frame) as { result: { bytes: Uint8Array } };
    expect(back.result.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.result.bytes)).toEqual([5, 6, 7]);
  });

  it('decodes a frame that sits at an offset inside a larger buffer', () => {
    const frame = encodeFrame({ t: 'evt', event: 'x', payload: Uint8Array.of(9, 8) }) as Uint8Array;
    const host = new Uint8Array(frame.length + 10);
    host.set(frame, 5);
    expect(decodeFrame(host.subarray(5, 5 + frame.length))).toEqual({ t: 'evt', event: 'x', payload: Uint8Array.of(9, 8) });
  });

  it('drops malformed frames instead of throwing', () => {
    const good = encodeFrame({ t: 'evt', event: 'x', payload: Uint8Array.of(1, 2, 3, 4) }) as Uint8Array;
    expect(decodeFrame(good.subarray(0, good.length - 1))).toBeNull(); // truncated blob
    expect(decodeFrame(Uint8Array.of(0x52, 0x52, 0x01, 255, 255, 255, 255))).toBeNull(); // header past the end
    expect(decodeFrame(Uint8Array.of(1, 2, 3))).toBeNull(); // no magic
    expect(decodeFrame('{"t":"evt","event":"x","payload":{"$bin":0}}')).toBeNull(); // dangling ref in text
    expect(decodeFrame('not json')).toBeNull();
    expect(decodeFrame('{"t":"nope"}')).toBeNull();
    const badRef = new TextEncoder().encode('{"t":"evt","event":"x","payload":{"$bin":3}}');
    const frame = new Uint8Array(3 + 4 + badRef.length);
    frame.set([0x52, 0x52, 0x01]);
    new DataView(frame.buffer).setUint32(3, badRef.length, true);
    frame.set(badRef, 7);
    expect(decodeFrame(frame)).toBeNull(); // reference to a blob that is not there
  });
});
