import { types } from '@electric-sql/pglite';

/**
 * PGlite's own bytea handling walks the value byte by byte in JavaScript (an array of
 * two-digit strings one way, `parseInt` per byte the other): on the sync path, where every
 * request reads a story's whole update log, that was about a seventh of the server's CPU.
 * Node's hex codec does the same in native code. Values are sent and read as text in
 * PostgreSQL's hex format, `\x` followed by two hex digits per byte.
 */
export function serializeBytea(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
  return '\\x' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

export function parseBytea(text: string): Uint8Array {
  // The hex format is PostgreSQL's default output; anything else goes to PGlite's parser.
  if (!text.startsWith('\\x')) return types.parsers[types.BYTEA]!(text, types.BYTEA) as Uint8Array;
  return Buffer.from(text.slice(2), 'hex');
}

export const byteaParsers = { [types.BYTEA]: parseBytea };
export const byteaSerializers = { [types.BYTEA]: serializeBytea };
