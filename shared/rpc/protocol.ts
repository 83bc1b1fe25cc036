/** Wire messages between a client (renderer, tests) and core. Transport-agnostic. */
export type RpcErrorCode =
  | 'invalid_input' // the input failed its zod schema: nothing was written
  | 'not_found'
  | 'unknown_method'
  | 'conflict'
  | 'unauthorized'
  | 'story_damaged' // the story's stored document does not load: it is kept as it is for recovery, and refused until then (retrying never helps)
  | 'login_failed' // wrong username or password (the server said so)
  | 'server_unreachable' // the newsroom server did not answer (offline, wrong address)
  | 'profile_owned' // this profile belongs to another account since its first login
  | 'photo_invalid' // not a photo core accepts (type, truncated, empty): nothing stored
  | 'photo_too_large' // over the photo size limit (a setting): nothing stored
  | 'photo_unavailable' // neither this profile nor the server (reachable now) has the photo's bytes
  | 'workflow_refused' // the workflow rules do not allow this command now (role, status, checklist)
  | 'internal' // a bug or an I/O failure in core; details are in core's log
  | 'timeout' // no answer within the call's deadline (raised by the client, never sent by core)
  | 'transport_closed'; // the link to core went away before an answer came

export interface RpcIssue {
  path: string;
  message: string;
}

export interface RpcErrorPayload {
  code: RpcErrorCode;
  message: string;
  issues?: RpcIssue[];
}

export type RpcRequest = { t: 'req'; id: number; method: string; input: unknown };
export type RpcResponse =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: RpcErrorPayload };
export type RpcEventMessage = { t: 'evt'; event: string; payload: unknown };
export type RpcMessage = RpcRequest | RpcResponse | RpcEventMessage;

/** One side of a duplex message link. Transports (MessagePort, WebSocket, in-memory) implement it. */
export interface RpcEndpoint {
  send(message: RpcMessage): void;
  /** Returns an unsubscribe function. */
  onMessage(listener: (message: RpcMessage) => void): () => void;
  onClose(listener: () => void): () => void;
  close(): void;
}

/** An error with a code that survives the trip across a process boundary. */
export class RpcError extends Error {
  readonly code: RpcErrorCode;
  readonly issues: RpcIssue[] | undefined;
  constructor(code: RpcErrorCode, message: string, issues?: RpcIssue[]) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.issues = issues;
  }
  toPayload(): RpcErrorPayload {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
  static fromPayload(p: RpcErrorPayload): RpcError {
    return new RpcError(p.code, p.message, p.issues);
  }
}

export function isRpcMessage(value: unknown): value is RpcMessage {
  if (typeof value !== 'object' || value === null) return false;
  const t = (value as { t?: unknown }).t;
  return t === 'req' || t === 'res' || t === 'evt';
}
