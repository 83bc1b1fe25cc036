import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, fromBase64, toBase64 } from './codec';
import type { RpcMessage } from './protocol';

describe('text codec', () => {
  it('round-trips messages with nested Uint8Array of every length remainder', () => {
    for (const len of [0, 1, 2, 3, 4, 5, 255, 256, 7000, 70_001]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 0xff);
      const message: RpcMessage = { t: 'req', id: len, method: 'docs.push', input: { storyId: 'x', update: bytes, nested: [{ b: bytes }] } };
      const decoded = decodeMessage(encodeMessage(message)) as Extract<RpcMessage, { t: 'req' }>;
      const input = decoded.input as { update: Uint8Array; nested: [{ b: Uint8Array }] };
      expect(input.update).toBeInstanceOf(Uint8Array);
      expect(input.update).toEqual(bytes);
      expect(input.nested[0].b).toEqual(bytes);
    }
  });

  it('matches standard base64 and keeps text, numbers, null and unicode', () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 62, 63]);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromBase64(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    const message: RpcMessage = { t: 'res', id: 1, ok: true, result: { headline: 'Jum’at — café 🙂', n: 1.5, none: null } };
    expect(decodeMessage(encodeMessage(message))).toEqual(message);
    const subarray = new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 4);
    expect((decodeMessage(encodeMessage({ t: 'evt', event: 'e', payload: subarray })) as { payload: unknown }).payload).toEqual(Uint8Array.from([8, 7, 6]));
  });

  it('gives null for anything that is not a well-formed message', () => {
    for (const text of ['', 'not json', '[]', '42', 'null', '{"t":"other"}', '{"id":1}', '{"t":"req","input":{"$u8":"***"}}']) {
      expect(decodeMessage(text)).toBeNull();
    }
    expect(() => fromBase64('ab$d')).toThrow();
  });
});
