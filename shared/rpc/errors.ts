import { RpcError, type RpcErrorCode } from './protocol';

/**
 * How a caller that must not lose data (the push queue, the stash drain) treats a failed call:
 * - `transient`: the link or core was away or slow; nothing was refused. Retry, forever if need be.
 * - `bounded`: core answered with a failure of its own (an I/O error, a bug): worth a few
 *   retries, then surfaced to the user like a refusal, so one bad batch cannot block the rest.
 * - `permanent`: core looked at the input and refused it; sending it again gives the same answer.
 */
export type RpcFailureKind = 'transient' | 'bounded' | 'permanent';

// 'story_damaged' (core refuses a story whose stored document does not load) is listed even
// where the protocol's union does not name it yet, so the table stays exhaustive either way.
const KIND_OF: Readonly<Record<RpcErrorCode | 'story_damaged', RpcFailureKind>> = {
  transport_closed: 'transient',
  timeout: 'transient',
  internal: 'bounded',
  invalid_input: 'permanent',
  not_found: 'permanent',
  unknown_method: 'permanent',
  story_damaged: 'permanent',
  conflict: 'permanent',
  unauthorized: 'permanent',
  login_failed: 'permanent',
  server_unreachable: 'transient',
  profile_owned: 'permanent',
  photo_invalid: 'permanent',
  photo_too_large: 'permanent',
  photo_unavailable: 'transient',
  workflow_refused: 'permanent',
};

/**
 * Classifies any rejection of an RPC call. A rejection that is not an RpcError never came
 * from core's answer (a link that threw while sending, a bug on this side): transient, so
 * the data stays queued rather than being set aside on a guess.
 */
export function rpcFailureKind(error: unknown): RpcFailureKind {
  if (error instanceof RpcError) return (KIND_OF as Readonly<Record<string, RpcFailureKind>>)[error.code] ?? 'permanent';
  return 'transient';
}

/** True when retrying may succeed without anything changing in the request. */
export function isTransientRpcError(error: unknown): boolean {
  return rpcFailureKind(error) !== 'permanent';
}

/** The code to report for a failure ('internal' for a rejection that carried none). */
export function rpcErrorCode(error: unknown): RpcErrorCode {
  return error instanceof RpcError ? error.code : 'internal';
}
