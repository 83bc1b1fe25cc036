import { isRpcMessage, type RpcMessage } from './protocol';

/**
 * WebSocket framing. A message without binary data is one JSON text frame. A message that
 * carries Uint8Arrays (Yjs documents: a 20,000-word story is ~270 KB) is one binary frame,
 * so the bytes are copied, never base64-encoded and JSON-escaped:
 *
 *   'R' 'R' 0x01 | u32 header length | header JSON (UTF-8, each Uint8Array replaced by
 *   {"$bin": i}) | for each i: u32 length | bytes          (integers little-endian)
 */
const MAGIC = [0x52, 0x52, 0x01] as const;

// TextEncoder/TextDecoder exist in every host of this code (Node, Chromium, Electron);
// shared/ compiles without DOM or Node types, so they are typed here.
interface Utf8 {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(bytes: Uint8Array): string };
}
const utf8 = globalThis as unknown as Utf8;
const encoder = new utf8.TextEncoder();
const decoder = new utf8.TextDecoder('utf-8', { fatal: true });

export function encodeFrame(message: RpcMessage): string | Uint8Array {
  const blobs: Uint8Array[] = [];
  // A function, not an arrow: the holder (`this`) still has the raw value. JSON.stringify
  // calls toJSON first, so a Node Buffer (a Uint8Array) reaches `value` as
  // {type:'Buffer',data:[…]}; the holder's own property is the Buffer itself.
  const header = JSON.stringify(message, function (this: unknown, key: string, replaced: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    const value = raw instanceof Uint8Array ? raw : replaced;
    if (value instanceof Uint8Array) {
      blobs.push(value);
      return { $bin: blobs.length - 1 };
    }
    return value;
  });
  if (blobs.length === 0) return header;
  const head = encoder.encode(header);
  let size = MAGIC.length + 4 + head.length;
  for (const b of blobs) size += 4 + b.byteLength;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  let at = MAGIC.length;
  view.setUint32(at, head.length, true);
  out.set(head, (at += 4));
  at += head.length;
  for (const b of blobs) {
    view.setUint32(at, b.byteLength, true);
    out.set(b, (at += 4));
    at += b.byteLength;
  }
  return out;
}

/** Returns null for anything that is not a well-formed frame; the caller drops it. */
export function decodeFrame(frame: string | Uint8Array): RpcMessage | null {
  try {
    if (typeof frame === 'string') return asMessage(JSON.parse(frame, rejectBinaryRefs));
    return decodeBinary(frame);
  } catch {
    return null;
  }
}

function decodeBinary(frame: Uint8Array): RpcMessage | null {
  if (frame.length < MAGIC.length + 4 || MAGIC.some((m, i) => frame[i] !== m)) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let at = MAGIC.length;
  const headLength = view.getUint32(at, true);
  at += 4;
  if (at + headLength > frame.length) return null;
  const header = decoder.decode(frame.subarray(at, at + headLength));
  at += headLength;
  const blobs: Uint8Array[] = [];
  while (at < frame.length) {
    if (at + 4 > frame.length) return null;
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > frame.length) return null;
    // A plain Uint8Array copy: the frame may be a Node Buffer over a pooled buffer.
    blobs.push(new Uint8Array(frame.subarray(at, at + length)));
    at += length;
  }
  let valid = true;
  const parsed: unknown = JSON.parse(header, (_key, value: unknown) => {
    if (isBinaryRef(value)) {
      const blob = blobs[value.$bin];
      if (!blob) valid = false;
      return blob;
    }
    return value;
  });
  return valid ? asMessage(parsed) : null;
}

function isBinaryRef(value: unknown): value is { $bin: number } {
  return typeof value === 'object' && value !== null && Number.isInteger((value as { $bin?: unknown }).$bin);
}

/** A text frame never carries binary references (they would point nowhere). */
function rejectBinaryRefs(_key: string, value: unknown): unknown {
  if (isBinaryRef(value)) throw new Error('binary reference in a text frame');
  return value;
}

function asMessage(value: unknown): RpcMessage | null {
  return isRpcMessage(value) ? value : null;
}
